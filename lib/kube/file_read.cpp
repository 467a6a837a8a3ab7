#include "lib/kube/file_read.hpp"

#include "lib/core/text.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace nova::kube {

std::optional<FileReadError> read_file(const std::string& path, std::string& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return FileReadError{err, "open " + path + ": " + core::errno_text(err)};
    }
    out.clear();
    std::array<char, 16384> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            return FileReadError{err, "read " + path + ": " + core::errno_text(err)};
        }
        if (n == 0) {
            break;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return std::nullopt;
}

} // namespace nova::kube
