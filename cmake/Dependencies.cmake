# Every dependency comes from Debian's packages (scripts/install-deps installs them).
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(fmt 9 CONFIG REQUIRED)
find_package(CURL 7.85 REQUIRED) # CURLOPT_PROTOCOLS_STR
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)

# Debian builds cpp-httplib as a shared library ("split" mode); it ships no CMake config.
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
add_library(httplib_dep INTERFACE)
target_include_directories(httplib_dep SYSTEM INTERFACE ${HTTPLIB_INCLUDE_DIR})
target_compile_definitions(httplib_dep INTERFACE CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT
                                                 CPPHTTPLIB_BROTLI_SUPPORT)
target_link_libraries(httplib_dep INTERFACE ${HTTPLIB_LIBRARY} OpenSSL::SSL OpenSSL::Crypto
                                            Threads::Threads)

if(NOVA_BUILD_TESTS)
    find_package(Catch2 2.13 CONFIG REQUIRED)
endif()
