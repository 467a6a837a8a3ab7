#pragma once

// `create analysisrun`: an AnalysisRun built from an AnalysisTemplate or ClusterAnalysisTemplate
// the way argo builds it (its metrics and args, the arguments given merged in), without argo's
// traps: --instance-id adds its label instead of replacing every label, an argument the
// template does not declare is an error instead of being dropped, and the template's
// server-side fields (uid, resourceVersion, managedFields...) do not travel into the run.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

inline constexpr std::string_view controller_instance_id_label =
    "argo-rollouts.argoproj.io/controller-instance-id";

struct AnalysisArgument {
    std::string name;
    std::string value;
};

// "NAME=VALUE", split at the first '='. Throws a usage error for anything else.
AnalysisArgument parse_analysis_argument(std::string_view text);

// Every -a, in order. Throws a usage error for one that is not NAME=VALUE, or a NAME given
// twice (which value was meant cannot be known).
std::vector<AnalysisArgument> parse_analysis_arguments(const std::vector<std::string>& texts);

struct AnalysisRunRequest {
    std::string name;          // --name
    std::string generate_name; // --generate-name; neither: "<template name>-"
    std::string namespace_name;
    std::string instance_id;                 // --instance-id: the controller-instance-id label
    std::vector<AnalysisArgument> arguments; // -a, in order, each name once
};

// The AnalysisRun to POST. A template without spec.args takes the arguments as given (as
// argo does); one with spec.args gets the given values merged in. Throws core::Error for a
// template of another kind or without a spec, an argument the template's spec.args do not
// declare (naming the ones they do), an argument left without a value (`args.NAME was not
// resolved`), or no name to give the run.
nlohmann::json build_analysis_run(const nlohmann::json& analysis_template,
                                  const AnalysisRunRequest& request);

} // namespace nova::rollouts
