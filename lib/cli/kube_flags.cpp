#include "lib/cli/kube_flags.hpp"

#include <string>

namespace nova::cli {
namespace {

// pflag accepts "-n=ns" as well as "-n ns" and "-nns"; CLI11 hands the "=" through.
std::string strip_short_equals(std::string value) {
    if (!value.empty() && value.front() == '=') {
        value.erase(0, 1);
    }
    return value;
}

void enable_fallthrough(CLI::App& app) {
    app.fallthrough();
    for (CLI::App* sub : app.get_subcommands({})) {
        // Option groups are nameless subcommands; CLI11 manages their fallthrough itself.
        if (!sub->get_name().empty()) {
            enable_fallthrough(*sub);
        }
    }
}

} // namespace

void add_kube_flags(CLI::App& app, kube::Overrides& overrides) {
    enable_fallthrough(app);
    const std::string group = "Kubernetes connection flags (as kubectl's)";

    app.add_option("--kubeconfig", overrides.kubeconfig,
                   "Read only this kubeconfig file (ignores KUBECONFIG)")
        ->group(group);
    app.add_option("--context", overrides.context, "Use this kubeconfig context")->group(group);
    app.add_option("--cluster", overrides.cluster, "Use this kubeconfig cluster")->group(group);
    app.add_option("--user", overrides.user, "Use this kubeconfig user")->group(group);
    app.add_option("-n,--namespace", overrides.namespace_name, "Namespace of the request")
        ->transform(strip_short_equals)
        ->group(group);
    app.add_option("-s,--server", overrides.server, "Address and port of the API server")
        ->transform(strip_short_equals)
        ->group(group);
    app.add_option("--token", overrides.token, "Bearer token for the API server")->group(group);
    app.add_option("--certificate-authority", overrides.certificate_authority,
                   "CA certificate file to verify the API server with")
        ->group(group);
    app.add_option("--client-certificate", overrides.client_certificate,
                   "Client certificate file for TLS authentication")
        ->group(group);
    app.add_option("--client-key", overrides.client_key, "Client key file for TLS authentication")
        ->group(group);
    app.add_flag("--insecure-skip-tls-verify", overrides.insecure_skip_tls_verify,
                 "Do not verify the API server's certificate (insecure)")
        ->group(group);
    app.add_option("--tls-server-name", overrides.tls_server_name,
                   "Server name to verify the API server's certificate against")
        ->group(group);
    app.add_option("--as", overrides.as, "User to impersonate")->group(group);
    app.add_option("--as-group", overrides.as_groups, "Group to impersonate (repeatable)")
        ->allow_extra_args(false)
        ->group(group);
    app.add_option("--as-uid", overrides.as_uid, "UID to impersonate")->group(group);
    app.add_option("--username", overrides.username, "Username for basic authentication")
        ->group(group);
    app.add_option("--password", overrides.password, "Password for basic authentication")
        ->group(group);
    app.add_flag("--disable-compression", overrides.disable_compression,
                 "Do not ask the API server for compressed responses")
        ->group(group);
    app.add_option("--request-timeout", overrides.request_timeout,
                   "Time limit of one API request: seconds, or a duration such as 30s or 2m; "
                   "0 means none")
        ->default_val("0")
        ->group(group);
    app.add_option("-v,--v", overrides.verbosity, "Log level: 6 shows requests, 8 adds bodies")
        ->transform(strip_short_equals)
        ->group(group);
}

} // namespace nova::cli
