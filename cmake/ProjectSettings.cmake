# Compiler settings every target shares: warnings, -Werror on request, sanitizers.
add_library(project_settings INTERFACE)
target_compile_features(project_settings INTERFACE cxx_std_20)

option(NOVA_WERROR "Treat compiler warnings as errors" OFF)
option(NOVA_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

target_compile_options(project_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wcast-align -Wunused -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation)
if(NOVA_WERROR)
    target_compile_options(project_settings INTERFACE -Werror)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    target_compile_definitions(project_settings INTERFACE _GLIBCXX_ASSERTIONS)
endif()
if(NOVA_SANITIZE)
    target_compile_options(project_settings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(project_settings INTERFACE -fsanitize=address,undefined)
endif()
