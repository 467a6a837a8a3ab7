#pragma once

// nova-sim's simulated Nova scheduler (the "nova" controller of `run --controllers`): it places
// the control plane's workload objects onto the workload clusters the way Nova does, with the
// pure placement model of lib/nova (the same functions `verify-spread` checks against), and
// sums the copies' status back into the control plane (reference/nova-and-peers.md §1.3–§1.7).
//
// On every tick, from the control plane's SchedulePolicies, Cluster objects and Namespaces:
//
//   * every ReplicaSet, Deployment, Job, Service, ConfigMap and Secret that exactly one policy
//     selects is copied into the clusters the policy chooses: same name and namespace (created
//     there when missing), the labels plus nova.elotl.co/target-cluster=<cluster> and
//     nova.elotl.co/matching-policy=<policy>, the annotations plus nova-sim/origin-uid (which
//     control-plane object the copy stands for), and the spec; uid, resourceVersion,
//     ownerReferences, managedFields, creationTimestamp, generation, finalizers and status are
//     left behind.
//   * ReplicaSets and Deployments get their cluster's share of spec.replicas (expected_split:
//     Divide with name-order remainders, Duplicate, percentageSplit; without spreadConstraints
//     the whole group goes to the first eligible cluster by name). A cluster whose share is 0
//     still gets a copy with 0 replicas, so scaling up later only updates it.
//   * Jobs are split on spec.parallelism the same way, and only clusters with a share get a
//     copy (a Job with nothing to run would never complete): the tutorial's analysis Job with
//     parallelism 2 runs one pod in each of two clusters, as the tutorial shows. completions,
//     when set, is divided over those copies by the same remainder rule (Duplicate and
//     one-cluster placements copy it whole). A copy's Job selector and controller-uid labels
//     are dropped, as the workload cluster generates its own.
//   * Services, ConfigMaps and Secrets go whole to every chosen cluster (percentageSplit does
//     not apply to objects without replicas, reference §1.3); a Service's clusterIP is left to
//     the workload cluster.
//   * Copies are kept in step and written only when something changed. Annotations the
//     workload cluster adds to a copy are kept; a Job copy's pod template is never rewritten
//     (it is immutable), only parallelism, suspend and activeDeadlineSeconds follow.
//   * A copy whose cluster is no longer chosen, whose object is gone, or whose object no
//     longer matches exactly one policy is deleted. A copy of an earlier object of the same
//     name (another uid) is replaced.
//   * Status back (§1.6): a ReplicaSet's or Deployment's status is the sum of its copies'
//     replica counts, with observedGeneration its own generation (and, for a Deployment, an
//     Available condition that holds when every copy's does); a Job's active, ready, succeeded
//     and failed are summed, it is Complete when every copy is, and Failed when any copy is.
//     Status is written only when it changes, and only for objects Nova placed.
//   * Events in the control plane, from nova-scheduler, once each: SchedulePolicyMatched when
//     an object is placed (naming the policy and the clusters), and Warnings NoSchedulePolicy
//     (for pod controllers and Jobs only, which otherwise run nowhere), MultipleSchedulePolicies
//     and NoEligibleCluster when it is not.
//   * The Cluster objects' Idle condition: False (WorkloadsScheduled) while Nova-placed
//     ReplicaSets or Deployments with replicas, or Jobs, are in the cluster; True again once
//     they are gone. An Idle=False this controller did not write (a scenario's clusters, busy
//     with copies placed before nova-sim started) is left as it is.
//
// Left alone: objects in kube-* namespaces, the kube-root-ca.crt ConfigMap, service-account
// token Secrets and the default/kubernetes Service. The control-plane objects themselves get
// nothing but status (their labels are argo-rollouts'); ScheduleGroups are not written.

#include "lib/sim/controllers.hpp"

#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace nova::sim {

// The label on every copy naming the cluster it was placed in (reference §1.5).
inline constexpr std::string_view k_target_cluster_label = "nova.elotl.co/target-cluster";
// The label on every copy naming the SchedulePolicy that placed it.
inline constexpr std::string_view k_matching_policy_label = "nova.elotl.co/matching-policy";
// nova-sim's bookkeeping: the uid of the control-plane object a copy stands for.
inline constexpr std::string_view k_origin_uid_annotation = "nova-sim/origin-uid";

class NovaController final : public Controller {
public:
    [[nodiscard]] std::string_view name() const override { return "nova"; }
    void reconcile(const Fleet& fleet, const SimTime& time) override;

private:
    // Events already written (object uid, reason, message), so each is written once.
    std::set<std::string> m_recorded;
};

std::unique_ptr<Controller> make_nova_controller();

} // namespace nova::sim
