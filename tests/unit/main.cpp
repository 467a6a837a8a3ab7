// The Catch2 runner for every unit test; the tests live in test_<layer>_<file>.cpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
