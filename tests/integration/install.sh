# Installation and packaging: `cmake --install` into a DESTDIR puts every file where Debian's
# tools look; kubectl finds the installed plugin under both names and runs it; `cpack` builds a
# .deb with the same files (unpacked with dpkg-deb -x, never installed on this system), a release
# tarball and a krew manifest whose sha256 is the tarball's. Uses the build the test runs from
# (nothing is rebuilt).
source "$(dirname "$0")/lib.sh"
# man-db's seccomp sandbox fails with "Bad system call" in some containers; these pages are ours.
export MAN_DISABLE_SECCOMP=1

: "${NOVA_ROLLOUTS_BIN:?NOVA_ROLLOUTS_BIN must name the plugin binary (CTest sets it)}"
for tool in cpack dpkg-deb dpkg-shlibdeps man python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps)"
done

# The build directory of the binary under test, and the source tree.
build=$(dirname "$NOVA_ROLLOUTS_BIN")
while [ "$build" != / ] && [ ! -f "$build/CMakeCache.txt" ]; do
    build=$(dirname "$build")
done
[ -f "$build/CMakeCache.txt" ] || fail "no CMakeCache.txt above $NOVA_ROLLOUTS_BIN"
source_dir=$(cd "$NOVA_TESTS_DIR/.." && pwd)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "no project version in $build/CMakeCache.txt"
case "$(uname -m)" in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac

# check_tree ROOT: the installed files under ROOT/usr.
check_tree() {
    local root=$1 usr=$1/usr page name
    [ -x "$usr/bin/kubectl-nova-rollouts" ] && [ ! -L "$usr/bin/kubectl-nova-rollouts" ] ||
        fail "$usr/bin/kubectl-nova-rollouts is not an executable file"
    expect_eq "$(readlink "$usr/bin/kubectl-nova_rollouts")" kubectl-nova-rollouts \
        "the kubectl-nova_rollouts link (relative)"
    # Every page of man/, compressed, with the same text.
    for page in "$source_dir"/man/*.1; do
        name=$(basename "$page")
        [ -f "$usr/share/man/man1/$name.gz" ] || fail "$name is not installed"
        cmp -s <(gzip -dc "$usr/share/man/man1/$name.gz") "$page" ||
            fail "the installed $name.gz is not man/$name"
    done
    expect_eq "$(readlink "$usr/share/man/man1/kubectl-nova_rollouts.1.gz")" \
        kubectl-nova-rollouts.1.gz "the kubectl-nova_rollouts.1.gz link"
    cmp -s "$usr/share/doc/kubectl-nova-rollouts/copyright" "$source_dir/packaging/debian/copyright" ||
        fail "no share/doc/kubectl-nova-rollouts/copyright"
    # The changelog is the package's: its newest entry is this version.
    expect_contains "$(gzip -dc "$usr/share/doc/kubectl-nova-rollouts/changelog.gz" | head -1)" \
        "kubectl-nova-rollouts ($version) " "the changelog's newest entry"
    # Completion files are installed when the source tree has them.
    local completions=$source_dir/completions
    if [ -f "$completions/kubectl_complete-nova_rollouts" ]; then
        [ -x "$usr/bin/kubectl_complete-nova_rollouts" ] ||
            fail "bin/kubectl_complete-nova_rollouts is not installed as an executable"
        expect_eq "$(readlink "$usr/bin/kubectl_complete-nova-rollouts")" \
            kubectl_complete-nova_rollouts "the kubectl_complete-nova-rollouts link"
        for name in kubectl_complete-nova_rollouts kubectl_complete-nova-rollouts; do
            expect_eq "$(readlink "$usr/share/man/man1/$name.1.gz")" \
                kubectl-nova-rollouts-completion.1.gz "the $name.1.gz link"
        done
    fi
    if [ -f "$completions/kubectl-nova-rollouts.bash" ]; then
        cmp -s "$completions/kubectl-nova-rollouts.bash" \
            "$usr/share/bash-completion/completions/kubectl-nova-rollouts" ||
            fail "the bash completion is not installed"
    fi
    if [ -f "$completions/_kubectl-nova-rollouts" ]; then
        cmp -s "$completions/_kubectl-nova-rollouts" \
            "$usr/share/zsh/vendor-completions/_kubectl-nova-rollouts" ||
            fail "the zsh completion is not installed"
    fi
    if [ -f "$completions/kubectl-nova-rollouts.fish" ]; then
        cmp -s "$completions/kubectl-nova-rollouts.fish" \
            "$usr/share/fish/vendor_completions.d/kubectl-nova-rollouts.fish" ||
            fail "the fish completion is not installed"
    fi
    # The simulator and the test tools stay out.
    capture find "$root" -name 'nova-sim*' -o -name 'kube-probe*' -o -name 'unit-*'
    expect_eq "$OUT" "" "test programs in the installed tree"
    # Nothing outside /usr.
    capture find "$root" -mindepth 1 -maxdepth 1 ! -name usr ! -name DEBIAN
    expect_eq "$OUT" "" "files outside /usr"
}

# 1. cmake --install into a DESTDIR.
root=$TEST_TMP/root
expect_exit 0 env DESTDIR="$root" cmake --install "$build" --prefix /usr
check_tree "$root"

# 2. kubectl finds the plugin under both names, without warnings, and runs it.
mkdir -p "$TEST_TMP/kubectl-bin"
ln -s "$(command -v kubectl)" "$TEST_TMP/kubectl-bin/kubectl"
plugin_path="$TEST_TMP/kubectl-bin:$root/usr/bin"
capture env PATH="$plugin_path" kubectl plugin list
[ "$RC" -eq 0 ] || fail "kubectl plugin list exited $RC:
$OUT"
expect_contains "$OUT" "$root/usr/bin/kubectl-nova_rollouts" "kubectl plugin list"
expect_contains "$OUT" "$root/usr/bin/kubectl-nova-rollouts" "kubectl plugin list"
expect_not_contains "$OUT" "warning" "kubectl plugin list"
expect_exit 0 env PATH="$plugin_path" kubectl nova-rollouts version
expect_contains "$OUT" "kubectl-nova-rollouts: v$version"
expect_exit 0 env PATH="$plugin_path" kubectl nova rollouts version --short
expect_contains "$OUT" "v$version"
# Run through kubectl, help names the program as typed.
expect_exit 0 env PATH="$plugin_path" _=/usr/bin/kubectl kubectl nova-rollouts --help
expect_contains "$OUT" "kubectl nova-rollouts"
expect_exit 2 env PATH="$plugin_path" kubectl nova-rollouts no-such-command
if [ -x "$root/usr/bin/kubectl_complete-nova_rollouts" ]; then
    expect_exit 0 env PATH="$plugin_path" kubectl __complete nova-rollouts ''
    expect_contains "$OUT" "get" "kubectl's completion of the plugin"
fi

# 3. man finds the installed pages by name (the link too, which it resolves) and renders them.
expect_exit 0 env MANPATH="$root/usr/share/man" man -w kubectl-nova_rollouts
expect_contains "$OUT" "$root/usr/share/man/man1/kubectl-nova-rollouts.1.gz"
expect_exit 0 env MANPATH="$root/usr/share/man" MANWIDTH=80 LC_ALL=C.UTF-8 \
    man kubectl-nova-rollouts-set-image
expect_contains "$OUT" "kubectl nova-rollouts set image [options] ROLLOUT_NAME"
for page in "$root"/usr/share/man/man1/*.1.gz; do
    capture env MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page"
    [ "$RC" -eq 0 ] || fail "man -l $page exited $RC:
$OUT"
    expect_contains "$OUT" "EXIT STATUS" "man -l $(basename "$page")"
    expect_not_contains "$OUT" "warning" "man -l $(basename "$page")"
done

# 4. cpack: the .deb, the tarball and the krew manifest, into a directory of the test.
dist=$TEST_TMP/dist
expect_exit 0 cpack --config "$build/CPackConfig.cmake" -B "$dist"
deb=$dist/kubectl-nova-rollouts_${version}_$arch.deb
tarball=$dist/kubectl-nova-rollouts-v$version-linux-$arch.tar.gz
manifest=$dist/nova-rollouts.yaml
for file in "$deb" "$tarball" "$manifest"; do
    [ -f "$file" ] || fail "cpack made no $(basename "$file"):
$(ls "$dist")"
done

expect_eq "$(dpkg-deb -f "$deb" Package)" kubectl-nova-rollouts "Package"
expect_eq "$(dpkg-deb -f "$deb" Version)" "$version" "Version"
expect_eq "$(dpkg-deb -f "$deb" Architecture)" "$(dpkg --print-architecture)" "Architecture"
depends=$(dpkg-deb -f "$deb" Depends)
expect_contains "$depends" "libc6" "Depends (from dpkg-shlibdeps)"
expect_contains "$depends" "libcurl4" "Depends (from dpkg-shlibdeps)"
[ -n "$(dpkg-deb -f "$deb" Maintainer)" ] || fail "the .deb has no Maintainer"
expect_contains "$(dpkg-deb -f "$deb" Description)" "Argo Rollouts" "Description"
capture dpkg-deb -c "$deb"
expect_contains "$OUT" "./usr/bin/kubectl-nova_rollouts -> kubectl-nova-rollouts" "dpkg-deb -c"
# Debian's own checks: no error or warning from lintian (when installed: scripts/install-deps).
if command -v lintian >/dev/null; then
    capture lintian --fail-on error,warning --tag-display-limit 0 "$deb"
    [ "$RC" -eq 0 ] || fail "lintian: $OUT"
else
    echo "install: lintian is not installed (scripts/install-deps): the .deb was not linted" >&2
fi
deb_root=$TEST_TMP/deb-root
expect_exit 0 dpkg-deb -x "$deb" "$deb_root"
check_tree "$deb_root"
expect_exit 0 "$deb_root/usr/bin/kubectl-nova_rollouts" version --short
expect_contains "$OUT" "v$version"

# The krew manifest: krew's rules (reference/kubernetes-client.md §4.3), the real sha256, and
# krew's file moves applied to the unpacked tarball give a plugin that runs.
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
krew_dir=$TEST_TMP/krew
mkdir -p "$TEST_TMP/unpacked" "$krew_dir"
tar -xzf "$tarball" -C "$TEST_TMP/unpacked"
capture python3 - "$manifest" "$version" "$arch" "$sha" "$(basename "$tarball")" \
    "$TEST_TMP/unpacked" "$krew_dir" <<'EOF'
import os, re, shutil, sys, yaml

path, version, arch, sha, archive, unpacked, krew_dir = sys.argv[1:]
problems = []
def check(ok, what):
    if not ok:
        problems.append(what)

with open(path) as f:
    doc = yaml.safe_load(f)
check(doc.get("apiVersion") == "krew.googlecontainertools.github.com/v1alpha2", "apiVersion")
check(doc.get("kind") == "Plugin", "kind")
name = doc.get("metadata", {}).get("name")
check(name == "nova-rollouts", "metadata.name")
check(os.path.basename(path) == f"{name}.yaml", "the file is named after metadata.name")
spec = doc.get("spec", {})
check(spec.get("version") == f"v{version}", f"spec.version {spec.get('version')!r}")
check(re.fullmatch(r"v\d+\.\d+\.\d+", str(spec.get("version"))), "spec.version is semver")
short = spec.get("shortDescription", "")
check(short and "\n" not in short, "spec.shortDescription: one line")
check(spec.get("description"), "spec.description")
platforms = spec.get("platforms", [])
check(len(platforms) == 1, "one platform")
platform = platforms[0] if platforms else {}
check(platform.get("selector") == {"matchLabels": {"os": "linux", "arch": arch}}, "selector")
uri = platform.get("uri", "")
check(re.fullmatch(r"https://\S+/" + re.escape(archive), uri), f"uri {uri!r}")
check(platform.get("sha256") == sha, "sha256 is the tarball's")
check(re.fullmatch(r"[a-f0-9]{64}", str(platform.get("sha256"))), "sha256 format")
# krew: a single file moved to "." keeps its name, to "x" is renamed x.
for op in platform.get("files", []):
    source = os.path.join(unpacked, op["from"])
    check(os.path.isfile(source), f"files: {op['from']} is in the tarball")
    if os.path.isfile(source):
        target = os.path.basename(source) if op["to"] == "." else op["to"]
        shutil.copy2(source, os.path.join(krew_dir, target))
binary = os.path.join(krew_dir, platform.get("bin", ""))
check(os.path.isfile(binary) and os.access(binary, os.X_OK), "bin is an executable after the moves")
print("\n".join(problems) or "ok")
sys.exit(1 if problems else 0)
EOF
[ "$RC" -eq 0 ] || fail "the krew manifest:
$OUT
--- $manifest ---
$(cat "$manifest")"
# What krew links as kubectl-nova_rollouts runs as the plugin.
ln -s "$krew_dir/kubectl-nova-rollouts" "$krew_dir/kubectl-nova_rollouts"
expect_exit 0 env PATH="$TEST_TMP/kubectl-bin:$krew_dir" kubectl nova-rollouts version --short
expect_contains "$OUT" "v$version"
[ -f "$krew_dir/LICENSE" ] || fail "the krew install has no LICENSE"
