#include "lib/kube/curl_handle.hpp"

#include "lib/core/error.hpp"

#include <mutex>
#include <new>
#include <string>

namespace nova::kube {

void ensure_curl_initialized() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK) {
        throw core::Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(result));
    }
}

EasyHandle make_easy() {
    ensure_curl_initialized();
    EasyHandle handle(curl_easy_init());
    if (!handle) {
        throw std::bad_alloc();
    }
    return handle;
}

MultiHandle make_multi() {
    ensure_curl_initialized();
    MultiHandle handle(curl_multi_init());
    if (!handle) {
        throw std::bad_alloc();
    }
    return handle;
}

void append_header(HeaderList& list, std::string_view name, std::string_view value) {
    std::string line(name);
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" removes it).
    if (value.empty()) {
        line += ';';
    } else {
        line += ": ";
        line += value;
    }
    curl_slist* appended = curl_slist_append(list.get(), line.c_str());
    if (appended == nullptr) {
        throw std::bad_alloc();
    }
    list.release();
    list.reset(appended);
}

} // namespace nova::kube
