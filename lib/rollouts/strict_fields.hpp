#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

// Strict reads of an object a command is about to write from (promote, undo, set image). argo
// decodes the object into typed Go structs first, so a field of the wrong type fails the
// command; the lenient reads of json_fields.hpp would take it as its zero value and send a
// write computed from that (or none at all). Here such a field throws core::Error naming the
// field and the object:
//   invalid rollout "demo": spec.paused must be a boolean, not "yes"
namespace nova::rollouts::strict {

using Path = std::initializer_list<std::string_view>;

class Fields {
public:
    // `object` must outlive this. `what` is how messages name it: `rollout "demo"`.
    Fields(const nlohmann::json& object, std::string what);

    // Each returns nullptr or nullopt when the field (or an object on its way) is absent or
    // null, and throws core::Error when it, or an object on its way, has another type.
    [[nodiscard]] const nlohmann::json* object(Path path) const;
    [[nodiscard]] const nlohmann::json* array(Path path) const;
    // An array whose every element is an object (steps, containers).
    [[nodiscard]] const nlohmann::json* array_of_objects(Path path) const;
    [[nodiscard]] std::optional<bool> boolean(Path path) const;
    [[nodiscard]] std::optional<std::string> string(Path path) const;
    // A Go int32 field, an integral number from `minimum` to INT32_MAX (1e30 and 1.5 are not).
    [[nodiscard]] std::optional<std::int32_t>
    int32(Path path, std::int32_t minimum = std::numeric_limits<std::int32_t>::min()) const;

    // Throws the error for the field at `path` (and `index` in it, when given): `must be
    // <expected>, not <value>`.
    [[noreturn]] void refuse(Path path, std::optional<std::size_t> index,
                             const std::string& expected, const nlohmann::json& value) const;
    // The same for a field named in full: "spec.template.spec.containers[0].name".
    [[noreturn]] void refuse(const std::string& field, const std::string& expected,
                             const nlohmann::json& value) const;

private:
    const nlohmann::json* find(Path path) const;

    const nlohmann::json& m_object;
    std::string m_what;
};

} // namespace nova::rollouts::strict
