#pragma once

namespace nova::sim {

// nova-sim's command line: `nova-sim run ...` and `nova-sim ctl ...`. Returns the exit code.
int run_main(int argc, char** argv);

} // namespace nova::sim
