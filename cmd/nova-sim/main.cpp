#include "lib/sim/main.hpp"

int main(int argc, char** argv) {
    return nova::sim::run_main(argc, argv);
}
