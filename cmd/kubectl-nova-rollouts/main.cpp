#include "lib/cli/app.hpp"

int main(int argc, char** argv) {
    return nova::cli::run(argc, argv);
}
