#pragma once

// Ownership of libcurl handles, and libcurl's process-wide initialisation, which is deferred to
// the first request so that --help, version and completion never pay for TLS (DESIGN §9).

#include <curl/curl.h>

#include <memory>
#include <string_view>

namespace nova::kube {

struct EasyDeleter {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
    void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init, once per process, thread-safe. Throws core::Error if it fails.
void ensure_curl_initialized();

EasyHandle make_easy();
MultiHandle make_multi();

// Appends one "Name: value" line; throws std::bad_alloc if libcurl cannot.
void append_header(HeaderList& list, std::string_view name, std::string_view value);

} // namespace nova::kube
