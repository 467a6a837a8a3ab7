// The man pages' prose. Options are described by their --help text (the command definitions);
// what is here says what a command does beyond that, and shows it at work on the tutorial's
// rollout (rollout-demo, container main, images argoproj/rollouts-demo:<colour>).
#include "lib/cli/man_page_text.hpp"

namespace nova::cli::man_text {

const std::vector<CommandProse>& commands() {
    static const std::vector<CommandProse> prose{
        {"",
         "With Elotl Nova, an Argo Rollout and its ReplicaSets live in the Nova control plane "
         "while the pods run in several workload clusters. `kubectl nova-rollouts` shows and "
         "drives such rollouts across the control plane and every workload cluster: what "
         "`kubectl argo rollouts` does for canary rollouts, with the same tree and the same "
         "patches, plus the replicas and pods of every workload cluster, JSON and YAML output, "
         "and exit codes made for CI.\n\n"
         "Installed as `kubectl-nova_rollouts` it runs as `kubectl nova-rollouts`; installed as "
         "`kubectl-nova-rollouts` it runs as `kubectl nova rollouts`; it also works when run "
         "directly. Help and messages name the program as it was invoked. A command is listed "
         "here, and in `--help`, only once it works.",
         {
             {"Update the image, as in the tutorial, then watch the canary move across the "
              "workload clusters:",
              "kubectl nova-rollouts set image rollout-demo main=argoproj/rollouts-demo:blue"},
             {"", "kubectl nova-rollouts get rollout rollout-demo -w"},
             {"Promote the paused canary to its next step, then check the result in CI:",
              "kubectl nova-rollouts promote rollout-demo"},
             {"", "kubectl nova-rollouts status rollout-demo --timeout 10m"},
             {"The control plane's context named explicitly, and the tree as a document:",
              "kubectl nova-rollouts --context nova get rollout rollout-demo -o json"},
             {"Every rollout of every namespace:", "kubectl nova-rollouts list rollouts -A"},
             {"Go back to the stable version, or to an older revision:",
              "kubectl nova-rollouts abort rollout-demo"},
             {"", "kubectl nova-rollouts undo rollout-demo --to-revision 2"},
             {"Create the tutorial's rollout and wait until it is Healthy:",
              "kubectl nova-rollouts create -f rollout_prod_canary.yaml --until-done --timeout "
              "10m"},
             {"Print the version:", "kubectl nova-rollouts version --short"},
         }},
        {"get",
         "Shows one rollout or experiment in detail, across the control plane and every "
         "workload cluster.",
         {}},
        {"get rollout",
         "Shows the rollout as `kubectl argo rollouts get rollout` does, plus a `Clusters:` "
         "summary (stable, canary and ready pods per workload cluster) and, under each "
         "ReplicaSet, its copy in every workload cluster with that cluster's pods; analysis Job "
         "pods appear under their AnalysisRun.\n\n"
         "With `--watch` the tree is redrawn in place on every change (and every second on a "
         "terminal, so that ages advance), over one connection per WATCH stream. A workload "
         "cluster that is down or refuses the watch shows as Unreachable with the reason and is "
         "listed again (within a second, backing off to 8s) until it answers. `--until-done` "
         "watches "
         "until the rollout is Healthy (exit 0) or Degraded (exit 3). `--timeout-seconds` ends "
         "a watch: exit 0, or 4 with `--until-done`. `-o json` and `-o yaml` print a document "
         "(apiVersion nova-rollouts.elotl.co/v1alpha1), one per change with `--watch`.",
         {
             {"The tutorial's rollout, with its pods in each workload cluster:",
              "kubectl nova-rollouts get rollout rollout-demo"},
             {"Follow it until the update is done or has failed:",
              "kubectl nova-rollouts get rollout rollout-demo --until-done --timeout-seconds 600"},
             {"Its state as JSON, for scripts:",
              "kubectl nova-rollouts get rollout rollout-demo -o json"},
         }},
        {"get experiment",
         "Shows the experiment, its ReplicaSets and AnalysisRuns, with their copies and pods "
         "in every workload cluster.",
         {}},
        {"list rollouts",
         "Prints argo's table of the namespace's rollouts (of every namespace with `-A`). With "
         "`--watch` a row is printed again whenever its rollout changes.",
         {{"Every rollout of every namespace:", "kubectl nova-rollouts list rollouts -A"}}},
        {"list experiments", "Prints argo's table of the namespace's experiments.", {}},
        {"status",
         "Waits until the rollout is Healthy (exit 0) or Degraded or aborted (exit 3), printing "
         "a line whenever its status changes. `--timeout` (Go syntax: 90s, 10m) ends the wait "
         "with exit 4; `--watch=false` checks once; `--success-on-pause` counts a paused "
         "rollout as done. `-o json` or `-o yaml` prints a RolloutStatus document at the end "
         "instead of progress lines, with the clusters' summary.\n\n"
         "`--verify-spread` also waits until the replicas are spread as `verify-spread` "
         "expects: done then means Healthy and spread as expected. Checking once, a mismatch "
         "exits 3 and a workload cluster that cannot be read exits 5.",
         {{"Gate a deploy in CI on the rollout finishing within ten minutes:",
           "kubectl nova-rollouts status rollout-demo --timeout 10m"},
          {"The same, and the replicas where the SchedulePolicy says:",
           "kubectl nova-rollouts status rollout-demo --verify-spread --timeout 10m"}}},
        {"verify-spread",
         "Computes where Nova should run the rollout's replicas and holds it against what "
         "every workload cluster runs. For each ReplicaSet that should have replicas (stable "
         "and canary or preview) and the Jobs of a running analysis: the one SchedulePolicy "
         "that selects it (namespaceSelector against the Namespace's labels, "
         "resourceSelectors against the object's; none or several is a mismatch, since Nova "
         "would then not place it as you think), the Ready clusters its clusterSelector picks "
         "(standby and not-ready clusters are named as excluded), and the split of its "
         "spreadConstraints: Divide (an even split; the first clusters by name take the "
         "remainder), Duplicate, or percentageSplit (floored, as Nova documents).\n\n"
         "Prints a table per object (ROLE, CLUSTER, EXPECTED, DESIRED, READY, RESULT), a "
         "reason for every mismatch (the copy's size, or the pod that does not start and "
         "why), and a verdict line. Exit 0 as expected, 3 on a mismatch, 5 when a workload "
         "cluster could not be read. `--tolerance` accepts any Divide or percentageSplit "
         "placement within one replica per cluster with the same total; `--wait` checks "
         "again on every change until the spread is as expected (exit 4 at `--timeout`). "
         "`-o json` and `-o yaml` print a SpreadVerification document.",
         {{"Check the tutorial's rollout after a promote:",
           "kubectl nova-rollouts verify-spread rollout-demo"},
          {"In a pipeline, wait up to five minutes for Nova to converge:",
           "kubectl nova-rollouts verify-spread rollout-demo --wait --timeout 5m"}}},
        {"promote",
         "Moves a paused canary to its next step with argo's patches: the status subresource "
         "first, then `spec.paused=false` when it is set; a server without the status "
         "subresource gets argo's single fallback patch. `--full` skips the remaining steps, "
         "pauses and analyses. Nova carries the change to every workload cluster.",
         {
             {"Promote the tutorial's canary past its pause:",
              "kubectl nova-rollouts promote rollout-demo"},
             {"Show the requests of a full promotion without sending them:",
              "kubectl nova-rollouts promote rollout-demo --full --dry-run"},
         }},
        {"abort",
         "Aborts each rollout: the controller scales the canary down and returns to the stable "
         "version.",
         {{"Stop the canary:", "kubectl nova-rollouts abort rollout-demo"}}},
        {"retry rollout",
         "Clears the abort of each rollout, so that it progresses again.",
         {{"Take the aborted update up again:",
           "kubectl nova-rollouts retry rollout rollout-demo"}}},
        {"retry experiment", "Restarts each experiment: its status is cleared.", {}},
        {"pause",
         "Sets `spec.paused` on each rollout.",
         {{"Hold the rollout where it is:", "kubectl nova-rollouts pause rollout-demo"}}},
        {"resume",
         "Clears `spec.paused` of each rollout, for rollouts paused by hand.",
         {{"Let a rollout paused by hand go on:", "kubectl nova-rollouts resume rollout-demo"}}},
        {"restart",
         "Restarts the rollout's pods. `--in` (Go syntax: 30s, 5m, 1h) schedules the restart; a "
         "bad value is a usage error.",
         {{"Restart the pods in five minutes:",
           "kubectl nova-rollouts restart rollout-demo --in 5m"}}},
        {"set image",
         "Sets the image of one or more containers; `*` names every container. The object is "
         "read, changed and written back whole, so fields this program does not know survive; "
         "a write that conflicts with another change is retried, up to 5 attempts. A rollout "
         "whose `workloadRef` names another kind than Deployment is refused. An image that is "
         "not a valid image reference is refused before any request.",
         {{"Start the tutorial's update from green to blue:",
           "kubectl nova-rollouts set image rollout-demo main=argoproj/rollouts-demo:blue"}}},
        {"undo",
         "Rolls back to the previous revision, or to the revision given with `--to-revision`. "
         "When the rollout's pod template already matches that revision, nothing is written "
         "and the command says `skipped rollback (current template already matches revision` "
         "<N>`)`.",
         {{"Go back to revision 2:", "kubectl nova-rollouts undo rollout-demo --to-revision 2"}}},
        {"terminate analysisrun", "Stops each AnalysisRun.", {}},
        {"terminate experiment", "Stops each Experiment and its AnalysisRuns.", {}},
        {"create",
         "Creates the Rollouts, Experiments, AnalysisTemplates, ClusterAnalysisTemplates and "
         "AnalysisRuns of the files: YAML (several documents allowed) or JSON (strict: a key "
         "given twice is an error); `-f -` reads standard input. Every document is checked "
         "before the first request. With several objects, the server then checks each one (one "
         "round of `dryRun=All` creates), and nothing is created unless it accepts them all; "
         "if a create still fails after that, the error names what was already created. The "
         "creates carry `fieldValidation=Strict`, as kubectl's do. `--dry-run` prints only the "
         "creates themselves; `-o` prints what the server returned, as a List when several "
         "objects are created.\n\n"
         "`--watch` then follows what was created: a Rollout or Experiment as `get --watch` "
         "shows it, an AnalysisRun as a line per phase (exit 0 when Successful, 3 otherwise). "
         "`--until-done` ends a Rollout's watch when it is Healthy (exit 0) or Degraded (exit "
         "3); `--timeout` ends a watch with exit 4.",
         {
             {"Create the tutorial's analysis template:",
              "kubectl nova-rollouts create -f analysis_template.yaml"},
             {"Create the rollout and wait until it is Healthy:",
              "kubectl nova-rollouts create -f rollout_prod_canary.yaml --until-done --timeout "
              "10m"},
         },
         "[<options>] `-f` <FILE>..."},
        {"create analysisrun",
         "Creates an AnalysisRun from an AnalysisTemplate (with `--global`, a "
         "ClusterAnalysisTemplate) or from a template file, with `-a` <NAME=VALUE> arguments "
         "(each name once; each must be declared by the template's `spec.args`, and a template "
         "without `spec.args` takes them as given, as argo does), a `--name` or "
         "`--generate-name` (a name prefix, checked before any request), and `--instance-id` "
         "(which adds the controller instance label). `create`'s own flags (`-f`, `-w`, "
         "`--dry-run` before `analysisrun`) are usage errors here.",
         {{"Run the tutorial's load test against the canary by hand:",
           "kubectl nova-rollouts create analysisrun --from http-benchmark -a "
           "host=rollouts-demo-canary"}}},
        {"clusters",
         "One row per Nova workload cluster (the control plane's Cluster objects): its "
         "kubeconfig context and where that mapping came from, Nova's READY, IDLE and STANDBY "
         "conditions, the Kubernetes version (the cluster's own `GET /version` answer, else "
         "the Cluster object's), region, zone, and whether it answered a probe, with the "
         "latency or the error. Every mapped cluster is probed at once, each with its own "
         "deadline (`--probe-timeout`). The table is printed even when a cluster is unmapped "
         "or does not answer; the exit code is then 5 (clusters in standby do not count). "
         "`-o json` and `-o yaml` print a ClusterList document.",
         {{"See which workload clusters the plugin can reach, and through which context:",
           "kubectl nova-rollouts clusters"},
          {"Map a cluster whose context has another name:",
           "kubectl nova-rollouts clusters --cluster-context kind-workload-1=wl-one"}}},
        {"completion",
         "Prints a completion script for bash, zsh or fish. The scripts ask the program itself "
         "what to complete (a hidden `__complete` command speaking cobra's protocol, as "
         "kubectl does), so commands, flags, contexts, namespaces, rollout, experiment and "
         "AnalysisRun names, Nova cluster names and container names are completed from the "
         "current command line and the API. `completion kubectl-shim` prints "
         "`kubectl_complete-nova_rollouts`, through which kubectl 1.26 and later completes "
         "`kubectl nova-rollouts ...`; installing it on the PATH (as the packages do) is "
         "enough. Set NOVA_ROLLOUTS_COMPLETION_DEBUG to see why a completion came up empty.",
         {{"Complete in the current bash session:",
           "source <(kubectl-nova-rollouts completion bash)"},
          {"Complete in fish:", "kubectl-nova-rollouts completion fish | source"}}},
        {"version",
         "Prints the version, the build date, the compiler and the platform. `--short` prints "
         "only the version; `-o json` prints a JSON document.",
         {{"The version alone, for scripts:", "kubectl nova-rollouts version --short"}}},
    };
    return prose;
}

const std::string_view changing_commands =
    "`--dry-run` prints each request that would change something (method, URL, Content-Type, "
    "body) and sends none of them; reads are still made. `-o json` or `-o yaml` prints the "
    "object as the server returned it after the change. A refused request (403) names the "
    "verb, the resource and the namespace to ask an admin for.";

const std::string_view several_names =
    "With several names, the names are handled in order and the first failure stops the rest "
    "(the error names it; those before it are done). `-o` then prints a List.";

const std::string_view workload_clusters =
    "The workload clusters are the control plane's Nova Cluster objects "
    "(`clusters.cluster.elotl.co`); `--workload-contexts` names their kubeconfig contexts "
    "directly instead. A cluster's context is, in this order: `--cluster-context` "
    "<NAME=CONTEXT> (repeatable), the variable `NOVA_ROLLOUTS_CLUSTER_CONTEXTS`, "
    "`clusterContexts:` in the configuration file (see FILES), and finally a context named "
    "like the cluster. A cluster with no context is shown as unmapped.\n\n"
    "The clusters are read concurrently, each with its own deadline (`--request-timeout`, "
    "5s by default), so a slow or dead cluster never holds the others back: the output "
    "shows what could be read, and the command exits 5.";

const std::string_view global_flags_intro =
    "kubectl's global flags work anywhere on the command line. The kubeconfig, the context "
    "and the namespace are resolved by kubectl's rules.";

const std::vector<Entry>& exit_status() {
    static const std::vector<Entry> codes{
        {"0", "Success."},
        {"1", "The operation failed: API error, not found, forbidden, bad kubeconfig, "
              "unreachable control plane."},
        {"2", "Usage error: unknown flag, wrong arguments."},
        {"3", "The thing checked is bad: the rollout is Degraded or aborted (`status`), or the "
              "replicas are not spread as the SchedulePolicy says."},
        {"4", "Timed out waiting."},
        {"5", "Incomplete: one or more workload clusters could not be read; the output shows "
              "what was read."},
    };
    return codes;
}

const Entry kubeconfig_variable{
    "KUBECONFIG", "The kubeconfig files, separated by colons, merged as kubectl merges them; "
                  "`--kubeconfig` overrides it."};
const Entry cluster_contexts_variable{
    "NOVA_ROLLOUTS_CLUSTER_CONTEXTS",
    "Workload cluster contexts as <name=context,name=context>; `--cluster-context` "
    "overrides it, and it overrides the configuration file."};
const Entry no_color_variable{"NO_COLOR",
                              "When set and not empty, no colour (unless `--color always`). "
                              "Colour is also off when standard output is not a terminal or "
                              "`TERM` is `dumb`."};
const Entry kubeconfig_file{"~/.kube/config", "The kubeconfig when KUBECONFIG is not set."};
const Entry config_file{
    "$XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml",
    "The plugin's configuration (~/.config/kubectl-nova-rollouts/config.yaml when "
    "XDG_CONFIG_HOME is not set). Its one setting, `clusterContexts`, maps the names of Nova "
    "workload clusters to kubeconfig contexts, e.g. `clusterContexts: {wlc-us-east: "
    "kind-workload-1}`."};

} // namespace nova::cli::man_text
