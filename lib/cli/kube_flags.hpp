#pragma once

#include "lib/kube/config.hpp"

#include <CLI/CLI.hpp>

namespace nova::cli {

// Registers kubectl's global connection flags (reference §1.4, §4.1) on the root command:
// --kubeconfig, --context, --cluster, --user, -n/--namespace, -s/--server, --token,
// --certificate-authority, --client-certificate, --client-key, --insecure-skip-tls-verify,
// --tls-server-name, --as, --as-group, --as-uid, --username, --password,
// --disable-compression, --request-timeout and -v/--v.
//
// kubectl hands a plugin its arguments verbatim, and users put these flags anywhere
// ("kubectl nova-rollouts get rollout x -n ns"), so subcommands let flags they do not know
// fall through to the root. Call this before the subcommands are added (they inherit the
// setting); subcommands that already exist are switched over too.
void add_kube_flags(CLI::App& app, kube::Overrides& overrides);

} // namespace nova::cli
