#!/usr/bin/env bash
# Fills the cache that the `local` cluster backend starts from: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubelet, built once from the Go module
# k8s.io/kubernetes at one pinned release, and etcd (Debian's etcd-server). Idempotent: a warm
# cache returns in well under a second.
#
# The binaries are built through a small wrapper module: k8s.io/kubernetes's go.mod replaces
# every k8s.io/<staging> module with ./staging/src/..., a folder that is not in the module's zip,
# so the wrapper replaces each of them with its published v0.X release instead.
#
# Cache: ${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}/k8s/<version>-<recipe hash>/bin
# Prints that bin directory on stdout; everything else goes to stderr.
# --cached-only: print it if the cache is complete, else exit 3 without building (the harness
# asks this way, so the recipe lives here alone).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/go-wrapper.sh
. "$here/lib/go-wrapper.sh"

K8S_VERSION="v1.34.4"
PROGRAMS=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
# Beside them: pause, the pod sandbox's process, compiled from the module's own build/pause/linux/pause.c
# (registry.k8s.io/pause cannot be pulled here), and etcd.
# Everything that decides what the binaries are; a change makes a new cache folder.
RECIPE="k8s.io/kubernetes $K8S_VERSION; staging v0.${K8S_VERSION#v1.}; ${PROGRAMS[*]}; CGO_ENABLED=0 -trimpath -s -w; version stamped; pause gcc -Os -static; $(go_minor)"

CACHE_ROOT="${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}"
DIR="$CACHE_ROOT/k8s/$K8S_VERSION-$(recipe_hash "$RECIPE")"
BIN_DIR="$DIR/bin"

log() { printf '[setup-cluster] %s\n' "$*" >&2; }

complete() {
  for p in "${PROGRAMS[@]}" pause etcd; do [ -x "$BIN_DIR/$p" ] || return 1; done
  [ "$(cat "$BIN_DIR/.recipe" 2>/dev/null)" = "$RECIPE" ]
}
if complete; then
  log "cluster binaries already cached in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi
if [ "${1:-}" = "--cached-only" ]; then
  log "Kubernetes $K8S_VERSION is not built yet in $BIN_DIR; run scripts/setup-cluster-binaries.sh (as root: it installs etcd-server)"
  exit 3
fi

start=$(date +%s)
require_go
ensure_debian_packages etcd-server
mkdir -p "$BIN_DIR"
etcd="$(command -v etcd || echo /usr/bin/etcd)"
[ -x "$etcd" ] || die "etcd not found after installing etcd-server; apt-get install etcd-server"
ln -sf "$etcd" "$BIN_DIR/etcd"

# The wrapper: require k8s.io/kubernetes and turn each of its ./staging replaces into the
# published module at the matching v0 version.
wrapper="$DIR/wrapper"
mkdir -p "$wrapper"
upstream_mod="$(go_mod_file k8s.io/kubernetes "$K8S_VERSION")"
staging_version="v0.${K8S_VERSION#v1.}"
{
  echo "module elemental-harness/kubernetes-build"
  echo
  echo "go $(awk '$1 == "go" {print $2; exit}' "$upstream_mod")"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  echo "replace ("
  awk -v v="$staging_version" '$2 == "=>" && $3 ~ /^\.\/staging\// {printf "\t%s => %s %s\n", $1, $1, v}' "$upstream_mod"
  echo ")"
} > "$wrapper/go.mod"
count=$(grep -c '=> k8s.io/' "$wrapper/go.mod" || true)
[ "$count" -gt 20 ] || die "found only $count staging replaces in k8s.io/kubernetes@$K8S_VERSION's go.mod ($upstream_mod); the wrapper would not build"

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

packages=()
for p in "${PROGRAMS[@]}"; do packages+=("k8s.io/kubernetes/cmd/$p"); done
log "building ${PROGRAMS[*]} $K8S_VERSION from the Go module (about 15 minutes on 2 cores, cold; log: $DIR/build.log)"
t0=$(date +%s)
( cd "$wrapper" && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" \
    go build -trimpath -ldflags "$ldflags" -o "$BIN_DIR/" "${packages[@]}" ) >"$DIR/build.log" 2>&1 \
  || { tail -n 30 "$DIR/build.log" >&2; die "building Kubernetes $K8S_VERSION failed; full log: $DIR/build.log. A module the proxy cannot serve is named above: check 'go env GOPROXY' and that the proxy is reachable"; }
for p in "${PROGRAMS[@]}"; do
  [ -x "$BIN_DIR/$p" ] || die "go build finished but $BIN_DIR/$p is missing; log: $DIR/build.log"
done
log "built ${PROGRAMS[*]} in $(( $(date +%s) - t0 )) s"
command -v gcc >/dev/null 2>&1 || ensure_debian_packages gcc libc6-dev
pause_c="$(go_mod_dir k8s.io/kubernetes "$K8S_VERSION")/build/pause/linux/pause.c"
[ -f "$pause_c" ] || die "k8s.io/kubernetes@$K8S_VERSION has no build/pause/linux/pause.c; the pod sandbox image cannot be made"
gcc -Os -static -DVERSION="$K8S_VERSION-elemental-harness" -o "$BIN_DIR/pause" "$pause_c" \
  || die "compiling $pause_c failed; apt-get install gcc libc6-dev"
echo "$RECIPE" > "$BIN_DIR/.recipe"
log "cluster binaries ready in $BIN_DIR after $(( $(date +%s) - start )) s"
echo "$BIN_DIR"
