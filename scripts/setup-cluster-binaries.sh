#!/usr/bin/env bash
# Fills the cache that the `local` cluster backend starts from: etcd (Debian's
# etcd-server) plus kube-apiserver and kube-controller-manager built once from Debian's
# `kubernetes` source package. Idempotent: a warm cache returns in well under a second.
#
# Cache: ${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}/k8s/<version>/bin
set -euo pipefail

CACHE_ROOT="${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}"
K8S_VERSION="1.20.2"
BIN_DIR="$CACHE_ROOT/k8s/$K8S_VERSION/bin"
# Bump when the build recipe changes, so caches built by an older recipe are rebuilt.
RECIPE="3: Debian reflect2 1.0.2; OpenAPI null check patched for Go >= 1.18"
BUILD_DIR="$CACHE_ROOT/k8s/$K8S_VERSION/build"

log() { printf '[setup-cluster] %s\n' "$*" >&2; }
die() { printf '[setup-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" = 0 ] || die "installing Debian packages needs root; re-run as root (sudo $0)"
}

ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  need_root
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_deb_src() {
  # apt-get source needs a deb-src entry; add one for bookworm main if none exists.
  if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  need_root
  log "adding a deb-src entry for bookworm (needed by apt-get source kubernetes)"
  cat > /etc/apt/sources.list.d/elemental-harness-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
}

link_etcd() {
  local etcd
  etcd="$(command -v etcd || true)"
  [ -n "$etcd" ] || etcd=/usr/bin/etcd
  [ -x "$etcd" ] || die "etcd not found after installing etcd-server"
  ln -sf "$etcd" "$BIN_DIR/etcd"
}

if [ -x "$BIN_DIR/kube-apiserver" ] && [ "$(cat "$BIN_DIR/.recipe" 2>/dev/null)" != "$RECIPE" ]; then
  log "cached binaries were built by an older recipe; rebuilding them"
  rm -f "$BIN_DIR/kube-apiserver" "$BIN_DIR/kube-controller-manager" "$BIN_DIR/.recipe"
fi
if [ -f "$BIN_DIR/.recipe" ] && [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/kube-controller-manager" ] && [ -e "$BIN_DIR/etcd" ]; then
  log "cluster binaries already cached in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

start=$(date +%s)
mkdir -p "$BIN_DIR"
ensure_packages etcd-server
link_etcd

ensure_packages golang-go rsync dpkg-dev golang-github-modern-go-reflect2-dev ca-certificates
ensure_deb_src

mkdir -p "$BUILD_DIR"
cd "$BUILD_DIR"
src="$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
if [ -z "$src" ]; then
  log "fetching Debian's kubernetes source package"
  apt-get source --download-only kubernetes >/dev/null 2>&1 || apt-get source -qq kubernetes
  [ -n "$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)" ] || dpkg-source -x ./kubernetes_*.dsc >/dev/null
  src="$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
fi
[ -n "$src" ] || die "could not unpack Debian's kubernetes source package in $BUILD_DIR"
cd "$src"

# The vendored reflect2 1.0.1 crashes the API server on Go >= 1.18 on the first JSON
# request (custom resources); Debian's 1.0.2 works.
reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$reflect2" ] || die "Debian's reflect2 sources are missing ($reflect2); apt-get install golang-github-modern-go-reflect2-dev"
if ! cmp -s "$reflect2/go_above_118.go" vendor/github.com/modern-go/reflect2/go_above_118.go 2>/dev/null; then
  log "replacing vendored modern-go/reflect2 with Debian's 1.0.2"
  rm -rf vendor/github.com/modern-go/reflect2
  cp -r "$reflect2" vendor/github.com/modern-go/reflect2
fi

# The OpenAPI type validator of custom resources tests "is this null?" by comparing two
# reflect.Values; since Go 1.18 a zero value ("" or 0) compares equal, so every "" in a
# custom resource is rejected as null. Test for nil alone, as the code behaved on older Go.
for f in vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go vendor/github.com/go-openapi/validate/type.go; do
  if grep -q 'data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))' "$f"; then
    log "patching the null check of $f"
    sed -i 's/data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))/data == nil/' "$f"
  fi
done

# Build as Debian's own debian/rules does: GOPATH mode rooted in the source tree, no cgo.
# Leave GOFLAGS alone: hack/lib/golang.sh folds it into the -tags list.
unset GOFLAGS
export GOPATH="$PWD/.go" CGO_ENABLED=0 KUBE_VERBOSE=0
mkdir -p .go/src/k8s.io
[ -L .go/src/k8s.io/kubernetes ] || ln -s ../../.. .go/src/k8s.io/kubernetes
targets=()
for what in kube-apiserver kube-controller-manager; do
  [ -x "$BIN_DIR/$what" ] || targets+=("cmd/$what")
done
if ((${#targets[@]})); then
  log "building ${targets[*]} (about 10 minutes on 2 cores; log: $BUILD_DIR/make.log)"
  t0=$(date +%s)
  HOME="$BUILD_DIR" make WHAT="${targets[*]}" >"$BUILD_DIR/make.log" 2>&1 \
    || { tail -n 40 "$BUILD_DIR/make.log" >&2; die "building ${targets[*]} failed; full log: $BUILD_DIR/make.log"; }
  for what in kube-apiserver kube-controller-manager; do
    [ -x "$BIN_DIR/$what" ] && continue
    [ -x "_output/bin/$what" ] || die "make finished but _output/bin/$what is missing"
    install -m 0755 "_output/bin/$what" "$BIN_DIR/$what"
  done
  log "built ${targets[*]} in $(( $(date +%s) - t0 )) s"
fi
echo "$RECIPE" > "$BIN_DIR/.recipe"
log "cluster binaries ready in $BIN_DIR after $(( $(date +%s) - start )) s"
echo "$BIN_DIR"
