# Shared by the scripts that build Go programs from their published modules (Kubernetes,
# Helm, the upstream Elemental stack). Source it; it defines functions only.
#
# A program whose module has replace directives cannot be had with `go install pkg@version`,
# so each is built inside a wrapper module of ours that requires it at a pinned version and
# repeats (or rewrites) its replaces. The wrapper lives in the cache, never in this repo.

die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# Go must be on PATH; the proxy must answer. One message naming the fix otherwise.
require_go() {
  command -v go >/dev/null 2>&1 \
    || die "no Go toolchain on PATH. Install Go 1.24 or newer (the project's machines have /usr/local/go/bin/go) and re-run"
  local proxy
  proxy="$(go env GOPROXY)"
  [ "$proxy" != "off" ] || die "GOPROXY is off; the builds fetch modules through the Go module proxy. Unset GOPROXY or set it to the proxy"
}

# "go1.26": the toolchain is part of every recipe (a new Go rebuilds the cache).
go_minor() { { go env GOVERSION 2>/dev/null || echo no-go; } | sed -E 's/^(go[0-9]+\.[0-9]+).*/\1/'; }

# The first 12 hex digits of the SHA-256 of a recipe string.
recipe_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# Path of the go.mod that module@version publishes (downloaded through the proxy once).
go_mod_file() {
  local json file
  json="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$1@$2" 2>&1)" \
    || die "the Go module proxy does not serve $1@$2: $(printf '%s' "$json" | grep -m1 -i error || printf '%s' "$json" | tail -n1). Check the tag, and 'go env GOPROXY'"
  file="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$file" ] || die "no go.mod for $1@$2 in the module cache after downloading it"
  printf '%s\n' "$file"
}

# The unpacked source folder of module@version in the module cache.
go_mod_dir() {
  local json dir
  json="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$1@$2" 2>&1)" \
    || die "the Go module proxy does not serve $1@$2. Check the tag, and 'go env GOPROXY'"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir" ] || die "no source folder for $1@$2 in the module cache after downloading it"
  printf '%s\n' "$dir"
}

ensure_debian_packages() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  [ "$(id -u)" = 0 ] || die "installing ${missing[*]} needs root; re-run as root (sudo $0)"
  printf '[%s] installing Debian packages: %s\n' "$(basename "$0" .sh)" "${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
