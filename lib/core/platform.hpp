#pragma once

namespace nova::core {

// The platform in kubectl's GOOS/GOARCH notation ("linux/amd64"), fixed at compile time; shown
// by `version` and sent in the User-Agent.
constexpr const char* platform() {
#if defined(__linux__) && defined(__x86_64__)
    return "linux/amd64";
#elif defined(__linux__) && defined(__aarch64__)
    return "linux/arm64";
#elif defined(__APPLE__) && defined(__aarch64__)
    return "darwin/arm64";
#elif defined(__APPLE__)
    return "darwin/amd64";
#else
    return "unknown/unknown";
#endif
}

} // namespace nova::core
