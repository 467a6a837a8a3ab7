#!/usr/bin/env bash
# The clusters' own controllers and kubelet in nova-sim (`run --controllers`), through real
# kubectl: a Deployment, a ReplicaSet and Jobs in a workload cluster get pods that become Ready
# (or complete); scaling adds and removes pods; `nova-sim ctl analysis fail-next` fails the next
# Job. Without --controllers a loaded ReplicaSet stays exactly as written.
source "$(dirname "$0")/lib.sh"

W1=(kubectl --context=kind-workload-1)

# Ten simulated seconds a second: pods start in 0.3 s, a Job's pod runs for 0.5 s.
start_sim --controllers --time-scale 10

# --- A Deployment: a ReplicaSet named by its pod-template-hash, pods, then Available. ---
expect_exit 0 "${W1[@]}" create deployment web --image=nginx:1.27 --replicas=2
expect_exit 0 "${W1[@]}" wait --for=condition=Available deployment/web --timeout=20s
expect_exit 0 "${W1[@]}" rollout status deployment/web --timeout=20s
expect_contains "$OUT" 'deployment "web" successfully rolled out'
expect_exit 0 "${W1[@]}" get deployment web \
    -o 'jsonpath={.status.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.availableReplicas} {.status.observedGeneration} {.metadata.annotations.deployment\.kubernetes\.io/revision}'
expect_eq "$OUT" "2 2 2 2 1 1" "the Deployment's status"
expect_exit 0 "${W1[@]}" get rs -l app=web -o 'jsonpath={.items[*].metadata.name} {.items[*].metadata.labels.pod-template-hash} {.items[*].metadata.ownerReferences[0].kind}'
read -r rs_name hash owner_kind <<<"$OUT"
expect_eq "$rs_name" "web-$hash" "the ReplicaSet's name"
[[ "$hash" =~ ^[bcdfghjklmnpqrstvwxz2456789]{10}$ ]] || fail "pod-template-hash '$hash'"
expect_eq "$owner_kind" "Deployment" "the ReplicaSet's owner"
expect_exit 0 "${W1[@]}" wait --for=condition=Ready pod -l app=web --timeout=20s
expect_exit 0 "${W1[@]}" get pods -l app=web -o 'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.spec.nodeName} {.status.podIP}{"\n"}{end}'
[ "$(wc -l <<<"$OUT")" -eq 2 ] || fail "two pods expected:
$OUT"
while read -r name phase node ip; do
    [[ "$name" =~ ^web-$hash-[bcdfghjklmnpqrstvwxz2456789]{5}$ ]] || fail "pod name '$name'"
    expect_eq "$phase $node" "Running kind-workload-1-worker" "pod $name"
    [[ "$ip" == 10.244.* ]] || fail "pod $name has IP '$ip'"
done <<<"$OUT"
expect_exit 0 "${W1[@]}" get pods -l app=web
expect_contains "$OUT" "1/1     Running"

# A new image: a new ReplicaSet (revision 2), the old one scaled to 0.
expect_exit 0 "${W1[@]}" set image deployment/web nginx=nginx:1.28
expect_exit 0 "${W1[@]}" rollout status deployment/web --timeout=20s
expect_exit 0 "${W1[@]}" get rs "web-$hash" -o 'jsonpath={.spec.replicas}'
expect_eq "$OUT" "0" "the old ReplicaSet's replicas"
expect_exit 0 "${W1[@]}" get deployment web -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}'
expect_eq "$OUT" "2" "the Deployment's revision"
wait_until 20 bash -c "[ \"\$(${W1[*]} get pods -l app=web -o 'jsonpath={.items[*].spec.containers[0].image}')\" = 'nginx:1.28 nginx:1.28' ]"

# Scaling the Deployment.
expect_exit 0 "${W1[@]}" scale deployment web --replicas=3
expect_exit 0 "${W1[@]}" wait --for=jsonpath='{.status.availableReplicas}'=3 deployment/web --timeout=20s

# --- A ReplicaSet of its own: pods, scaling up and down. ---
"${W1[@]}" apply -f - >/dev/null <<'EOF'
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: demo
spec:
  replicas: 3
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo, rollouts-pod-template-hash: 6f9c8b7d5}
    spec:
      containers:
        - name: demo
          image: argoproj/rollouts-demo:blue
EOF
expect_exit 0 "${W1[@]}" wait --for=jsonpath='{.status.readyReplicas}'=3 rs/demo --timeout=20s
expect_exit 0 "${W1[@]}" get pods -l app=demo,rollouts-pod-template-hash=6f9c8b7d5 -o name
[ "$(wc -l <<<"$OUT")" -eq 3 ] || fail "three demo pods expected:
$OUT"
expect_exit 0 "${W1[@]}" scale rs demo --replicas=5
expect_exit 0 "${W1[@]}" wait --for=jsonpath='{.status.availableReplicas}'=5 rs/demo --timeout=20s
expect_exit 0 "${W1[@]}" scale rs demo --replicas=1
wait_until 20 bash -c "[ \"\$(${W1[*]} get pods -l app=demo -o name | wc -l)\" -eq 1 ]"
expect_exit 0 "${W1[@]}" wait --for=jsonpath='{.status.replicas}'=1 rs/demo --timeout=20s
# Deleting the ReplicaSet deletes its pod.
expect_exit 0 "${W1[@]}" delete rs demo
wait_until 20 bash -c "[ -z \"\$(${W1[*]} get pods -l app=demo -o name)\" ]"

# --- Jobs: one completes; after `ctl analysis fail-next`, the next one fails. ---
expect_exit 0 "${W1[@]}" create job ok --image=busybox
expect_exit 0 "${W1[@]}" wait --for=condition=Complete job/ok --timeout=20s
expect_exit 0 "${W1[@]}" get job ok -o 'jsonpath={.status.succeeded} {.status.conditions[0].type}'
expect_eq "$OUT" "1 Complete" "the Job's status"
expect_exit 0 "${W1[@]}" get pods -l job-name=ok -o 'jsonpath={.items[*].status.phase}'
expect_eq "$OUT" "Succeeded" "the Job's pod"

expect_exit 0 sim_ctl analysis fail-next
expect_eq "$OUT" "analysis: the next 1 Job fail" "fail-next's output"
expect_exit 0 sim_ctl status
expect_contains "$OUT" "analysis: the next 1 Job fail"
job_yaml() {
    cat <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: $1
  labels: {role: placeholder}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: load-tester
          image: argoproj/load-tester:latest
EOF
}
job_yaml bad | "${W1[@]}" create -f - >/dev/null
expect_exit 0 "${W1[@]}" wait --for=condition=Failed job/bad --timeout=20s
expect_exit 0 "${W1[@]}" get job bad -o 'jsonpath={.status.failed} {.status.conditions[0].reason}'
expect_eq "$OUT" "1 BackoffLimitExceeded" "the failed Job's status"
expect_exit 0 "${W1[@]}" get pods -l job-name=bad -o 'jsonpath={.items[*].status.phase}'
expect_eq "$OUT" "Failed" "the failed Job's pod"
expect_exit 0 sim_ctl status
expect_not_contains "$OUT" "analysis:"
# The failure was used up: the next Job succeeds.
job_yaml good | "${W1[@]}" create -f - >/dev/null
expect_exit 0 "${W1[@]}" wait --for=condition=Complete job/good --timeout=20s
# fail-next N, and 0 to clear.
expect_exit 0 sim_ctl analysis fail-next 2
expect_eq "$OUT" "analysis: the next 2 Jobs fail" "fail-next 2"
expect_exit 0 sim_ctl analysis fail-next 0
expect_eq "$OUT" "analysis: Jobs succeed" "fail-next 0"
expect_exit 2 sim_ctl analysis fail-next -1
expect_exit 2 sim_ctl analysis
# Deleting the Deployment deletes its ReplicaSets and pods.
expect_exit 0 "${W1[@]}" delete deployment web
wait_until 20 bash -c "[ -z \"\$(${W1[*]} get rs,pods -l app=web -o name)\" ]"
# --- The hosting cluster runs the tutorial's argo-rollouts controller. ---
EXAMPLES="${NOVA_TESTS_DIR:?}/../examples/argo-rollouts"
HOST=(kubectl --context=kind-cp)
expect_exit 0 "${HOST[@]}" create namespace elotl
expect_exit 0 "${HOST[@]}" apply -n elotl -f "$EXAMPLES/argo-rollouts.yaml"
expect_exit 0 "${HOST[@]}" -n elotl wait --for=condition=Available deployment/argo-rollouts --timeout=20s
expect_exit 0 "${HOST[@]}" -n elotl get pods -l app.kubernetes.io/name=argo-rollouts \
    -o 'jsonpath={.items[*].spec.nodeName} {.items[*].status.containerStatuses[0].ready}'
expect_eq "$OUT" "kind-cp-worker true" "the argo-rollouts pod"
# The control plane runs no pods.
expect_exit 0 kubectl --context=nova get pods -A -o name
expect_eq "$OUT" "" "pods in the control plane"
stop_sim

# --- Without --controllers, nothing happens to a loaded ReplicaSet. ---
cat >"$TEST_TMP/rs.yaml" <<'EOF'
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: still
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: still}
  template:
    metadata:
      labels: {app: still}
    spec:
      containers:
        - name: still
          image: nginx
EOF
start_sim --load kind-workload-1="$TEST_TMP/rs.yaml"
expect_exit 0 "${W1[@]}" get rs still -o 'jsonpath={.metadata.resourceVersion}'
version=$OUT
sleep 1
expect_exit 0 "${W1[@]}" get pods -o name
expect_eq "$OUT" "" "pods without --controllers"
expect_exit 0 "${W1[@]}" get rs still -o 'jsonpath={.metadata.resourceVersion} {.status}'
expect_eq "$OUT" "$version " "the ReplicaSet without --controllers"
expect_exit 0 sim_ctl analysis fail-next
expect_contains "$OUT" "without --controllers"
