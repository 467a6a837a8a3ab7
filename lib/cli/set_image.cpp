// `set image ROLLOUT_NAME CONTAINER=IMAGE...`: argo's GET-modify-PUT of the rollout (or of the
// Deployment its workloadRef names), the whole sequence again on a 409 Conflict, five attempts
// in all. The object is modified as the server returned it, so fields this program does not
// know survive. Reads as parse → gather → compute → write → report, once per attempt.
#include "lib/rollouts/set_image.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"
#include "lib/core/text.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace nova::cli {
namespace {

using nlohmann::json;

// argo's limit and pause (client-go's retry.RetryOnConflict with retry.DefaultRetry: five
// steps, 10 ms apart).
constexpr int update_attempts = 5;
constexpr std::chrono::milliseconds conflict_pause{10};

struct SetImageOptions {
    std::string name;
    std::vector<std::string> assignments;
    WriteFlags write;
};

core::ExitCode set_image_command(Context& context, const SetImageOptions& options) {
    // parse: every pair is checked before anything is sent
    std::vector<rollouts::ImageAssignment> assignments;
    assignments.reserve(options.assignments.size());
    for (const auto& text : options.assignments) {
        assignments.push_back(rollouts::parse_image_assignment(text));
    }
    check_name_arguments("rollout", {options.name});
    WriteSession session(context, options.write);
    const ObjectRef rollout_ref =
        ObjectRef::argo("rollouts", session.namespace_name(), options.name);
    for (int attempt = 1;; ++attempt) {
        // gather
        json object = session.get(rollout_ref);
        ObjectRef target = rollout_ref;
        std::string line = "rollout " + core::quote(options.name) + " image updated";
        std::string kind = "rollout";
        if (const auto deployment = rollouts::set_image_deployment(object)) {
            target = ObjectRef::apps("deployments", session.namespace_name(), deployment->name);
            auto read = session.get_all({target});
            if (!read[0].ok()) {
                if (read[0].error().kind == kube::ErrorKind::http &&
                    read[0].error().is_not_found()) {
                    throw core::Error(deployment->not_found_message(options.name));
                }
                throw session.error(read[0].error(), kube::Method::get, target);
            }
            object = std::move(read[0].response().json);
            kind = "deployment";
            line = "deployment " + core::quote(deployment->name) +
                   " image updated (the workloadRef of rollout " + core::quote(options.name) + ")";
        }
        // compute
        rollouts::check_containers(object, kind + " " + core::quote(target.name));
        auto update = rollouts::set_images(std::move(object), assignments);
        if (!update.unmatched.empty()) {
            throw core::Error(rollouts::unmatched_message(update.unmatched));
        }
        // write: the object carries its resourceVersion, so a change made meanwhile is a 409
        const Write put{kube::Method::put, target, std::string(json_type), update.object.dump()};
        auto result = session.try_send(put);
        if (!result) {
            session.done(line, nullptr);
            break;
        }
        if (result->ok()) {
            session.done(line, result->json());
            break;
        }
        if (!result->error().is_conflict()) {
            throw session.error(result->error(), put.method, put.target);
        }
        if (attempt == update_attempts) {
            throw core::Error(kind + " " + core::quote(target.name) +
                              " kept changing: " + std::to_string(update_attempts) +
                              " attempts to update it conflicted; try again");
        }
        std::this_thread::sleep_for(conflict_pause);
    }
    // report
    session.finish();
    return core::ExitCode::success;
}

void add_set_image_subcommand(CLI::App& set, CommandTable& commands, Context& context) {
    auto options = std::make_shared<SetImageOptions>();
    CLI::App* command = set.add_subcommand("image", "Update the image of a rollout's containers");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout")->required();
    command
        ->add_option("CONTAINER=IMAGE", options->assignments,
                     "A container's name (* for every container) and its new image; several "
                     "pairs may be given")
        ->required();
    add_write_flags(*command, options->write);
    set_help_notes(*command,
                   "Init, regular and ephemeral containers are all matched by name. With a "
                   "workloadRef, the referenced Deployment is updated instead of the rollout.");
    commands.add(command, [&context, options]() { return set_image_command(context, *options); });
}

} // namespace

void add_set_command(CLI::App& app, CommandTable& commands, Context& context) {
    CLI::App* set = app.add_subcommand("set", "Update various values on a rollout");
    set->require_subcommand(0, 1);
    add_set_image_subcommand(*set, commands, context);
}

} // namespace nova::cli
