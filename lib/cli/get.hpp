#pragma once

// `get rollout|experiment NAME`, once or live, for the commands that show the same view
// afterwards (create -w).

#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/view_options.hpp"

#include <string>

namespace nova::cli {

struct GetOptions {
    std::string name;
    bool watch = false;
    int timeout_seconds = 0;
    bool until_done = false;
    // A watch that reaches timeout_seconds fails with exit 4 (create -w) instead of ending
    // successfully as argo's `get -w --timeout-seconds` does.
    bool timeout_fails = false;
    OutputFlags output;
    ClusterFlags clusters;
};

// Shows rollout (or experiment) `options.name`: once, or with watch / until_done live until
// Ctrl-C, the timeout or (until_done) a finished rollout.
core::ExitCode run_get(Context& context, const GetOptions& options, bool rollout);

} // namespace nova::cli
