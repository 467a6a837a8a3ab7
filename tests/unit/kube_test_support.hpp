#pragma once

// Helpers for the lib/kube unit tests: a private temporary directory per test, and an
// injectable environment.

#include "lib/kube/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

namespace nova::kube::test {

// A fresh directory under $TMPDIR, removed with everything in it at the end of the test.
class TempDir {
public:
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern =
            std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/nova-kube-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (m_path / name).string();
    }

    // Writes `content` to `name` (creating directories) and returns the full path.
    std::string write(const std::string& name, const std::string& content,
                      bool executable = false) const {
        const auto full = m_path / name;
        std::filesystem::create_directories(full.parent_path());
        {
            std::ofstream out(full, std::ios::binary | std::ios::trunc);
            out << content;
        }
        if (executable) {
            ::chmod(full.c_str(), 0755);
        }
        return full.string();
    }

private:
    std::filesystem::path m_path;
};

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An Environment with exactly these variables, this home and this service-account directory.
inline Environment
make_env(std::map<std::string, std::string> vars,
         const std::filesystem::path& home = "/nonexistent-home",
         const std::filesystem::path& service_account_dir = "/nonexistent-serviceaccount") {
    Environment env;
    env.getenv = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    env.home = home;
    env.service_account_dir = service_account_dir;
    return env;
}

} // namespace nova::kube::test
