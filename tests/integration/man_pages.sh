# The man pages: man/ is exactly what the binary generates from its command definitions (so a
# new or changed command needs scripts/generate-man), every page is clean for `mandoc -Tlint`
# (all levels, style included) and renders with `man -l` without warnings.
source "$(dirname "$0")/lib.sh"
# man-db's seccomp sandbox fails with "Bad system call" in some containers; these pages are ours.
export MAN_DISABLE_SECCOMP=1

: "${NOVA_ROLLOUTS_BIN:?NOVA_ROLLOUTS_BIN must name the plugin binary (CTest sets it)}"
command -v mandoc >/dev/null || skip "mandoc is not installed (scripts/install-deps)"
command -v man >/dev/null || skip "man (man-db) is not installed (scripts/install-deps)"

man_dir="$NOVA_TESTS_DIR/../man"
main_page="$man_dir/kubectl-nova-rollouts.1"
[ -f "$main_page" ] || fail "no $main_page"

# Generated with the date the checked-in pages carry, they must be identical.
date=$(awk 'NR == 1 && $1 == ".TH" { print $4 }' "$main_page")
[[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || fail "no date in the .TH line of $main_page"
expect_exit 0 "$NOVA_ROLLOUTS_BIN" __man "$TEST_TMP/man" --date "$date"
expect_contains "$OUT" "kubectl-nova-rollouts-get-rollout.1"
capture diff -r "$man_dir" "$TEST_TMP/man"
[ "$RC" -eq 0 ] || fail "man/ is not what the binary generates; run scripts/generate-man
$OUT"

# One page per runnable command and group, named after the command path; none for hidden ones.
for page in kubectl-nova-rollouts kubectl-nova-rollouts-get kubectl-nova-rollouts-get-rollout \
    kubectl-nova-rollouts-set-image kubectl-nova-rollouts-create-analysisrun \
    kubectl-nova-rollouts-version; do
    [ -f "$TEST_TMP/man/$page.1" ] || fail "no page $page.1"
done
[ ! -e "$TEST_TMP/man/kubectl-nova-rollouts-__man.1" ] || fail "the hidden __man has a page"

pages=("$TEST_TMP"/man/*.1)
[ "${#pages[@]}" -ge 20 ] || fail "only ${#pages[@]} pages"
for page in "${pages[@]}"; do
    name=$(basename "$page" .1)
    capture mandoc -Tlint -Wall "$page"
    [ "$RC" -eq 0 ] && [ -z "$OUT" ] || fail "mandoc -Tlint $name.1:
$OUT"
    # man-db's man, through groff with its warnings on, as a user reads the page.
    capture env MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page"
    [ "$RC" -eq 0 ] || fail "man -l $name.1 exited $RC:
$OUT"
    expect_not_contains "$OUT" "warning" "man -l $name.1"
    expect_contains "$OUT" "NAME" "man -l $name.1"
    # "NAME  kubectl-nova-rollouts-get - ..." ("kubectl-nova-rollouts, kubectl-nova_rollouts - ...")
    grep -Eq "^ +$name(,.*)? - [a-z]" <<<"$OUT" || fail "man -l $name.1: no NAME line:
$OUT"
    expect_contains "$OUT" "EXIT STATUS" "man -l $name.1"
    expect_contains "$OUT" "SEE ALSO" "man -l $name.1"
done

# What --help says is what the page says: the options of a command, the text of its footer.
expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout --help
help=$OUT
capture env MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$TEST_TMP/man/kubectl-nova-rollouts-get-rollout.1"
for flag in --watch --timeout-seconds --until-done --cluster-context --workload-contexts; do
    expect_contains "$help" "$flag" "get rollout --help"
    expect_contains "$OUT" "$flag" "the get rollout page"
done
expect_contains "$OUT" "Exit codes: 0 shown;" "the get rollout page"

# __man's own errors.
expect_exit 2 "$NOVA_ROLLOUTS_BIN" __man "$TEST_TMP/x" --date yesterday
expect_contains "$OUT" "error: --date wants YYYY-MM-DD"
touch "$TEST_TMP/file"
expect_exit 1 "$NOVA_ROLLOUTS_BIN" __man "$TEST_TMP/file/sub"
expect_contains "$OUT" "error: cannot create"
# Hidden from --help.
expect_exit 0 "$NOVA_ROLLOUTS_BIN" --help
expect_not_contains "$OUT" "__man"
