#pragma once

#include <optional>
#include <string>

namespace nova::kube {

// Why a file could not be read, worded as Go's os.ReadFile does ("open PATH: ..." or
// "read PATH: ..."), since kubectl's messages quote it; `error` is the errno.
struct FileReadError {
    int error = 0;
    std::string message;
};

// Reads the whole of `path` into `out`; nullopt on success.
std::optional<FileReadError> read_file(const std::string& path, std::string& out);

} // namespace nova::kube
