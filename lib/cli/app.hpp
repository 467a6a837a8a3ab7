#pragma once

namespace nova::cli {

// The whole command line of kubectl-nova-rollouts: parse, run the command, map every error to
// its exit code (DESIGN.md §5) and print it once. Returns the process exit code.
int run(int argc, char** argv);

} // namespace nova::cli
