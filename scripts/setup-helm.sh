#!/usr/bin/env bash
# Builds the Helm CLI once, from its Go module helm.sh/helm/v4 at a pinned release, into the harness
# cache: how the harness installs the reference operator's chart, as users install Elemental's.
# Idempotent: a warm cache returns in well under a second.
#
# Cache: ${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}/helm/<version>-<recipe hash>/bin/helm
# Prints that bin directory on stdout; everything else goes to stderr.
# --cached-only: print it if built, else exit 3 without building.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/go-wrapper.sh
. "$here/lib/go-wrapper.sh"

HELM_MODULE="helm.sh/helm/v4"
HELM_VERSION="v4.3.2"
RECIPE="$HELM_MODULE $HELM_VERSION; cmd/helm; CGO_ENABLED=0 -trimpath -s -w; version stamped; $(go_minor)"

CACHE_ROOT="${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}"
DIR="$CACHE_ROOT/helm/$HELM_VERSION-$(recipe_hash "$RECIPE")"
BIN_DIR="$DIR/bin"

log() { printf '[setup-helm] %s\n' "$*" >&2; }

if [ -x "$BIN_DIR/helm" ] && [ "$(cat "$BIN_DIR/.recipe" 2>/dev/null)" = "$RECIPE" ]; then
  log "helm $HELM_VERSION already cached in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi
if [ "${1:-}" = "--cached-only" ]; then
  log "helm $HELM_VERSION is not built yet in $BIN_DIR; run scripts/setup-helm.sh"
  exit 3
fi

require_go
mkdir -p "$BIN_DIR" "$DIR/wrapper"
upstream_mod="$(go_mod_file "$HELM_MODULE" "$HELM_VERSION")"
# helm's go.mod has no replaces today; copy any it grows, as `go install` would refuse them.
{
  echo "module elemental-harness/helm-build"
  echo
  echo "go $(awk '$1 == "go" {print $2; exit}' "$upstream_mod")"
  echo
  echo "require $HELM_MODULE $HELM_VERSION"
  awk '$1 == "replace" && $2 != "(" {print} $1 == "replace" && $2 == "(" {r=1; print; next} r {print} r && $1 == ")" {r=0}' "$upstream_mod"
} > "$DIR/wrapper/go.mod"

log "building helm $HELM_VERSION from $HELM_MODULE (about 2 minutes on 2 cores, cold; log: $DIR/build.log)"
t0=$(date +%s)
( cd "$DIR/wrapper" && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath \
    -ldflags "-s -w -X $HELM_MODULE/internal/version.version=$HELM_VERSION" -o "$BIN_DIR/helm" "$HELM_MODULE/cmd/helm" ) \
    >"$DIR/build.log" 2>&1 \
  || { tail -n 30 "$DIR/build.log" >&2; die "building helm $HELM_VERSION failed; full log: $DIR/build.log. A Go older than the module's 'go' line, or a module the proxy cannot serve, is named above"; }
echo "$RECIPE" > "$BIN_DIR/.recipe"
log "built helm $HELM_VERSION in $(( $(date +%s) - t0 )) s: $("$BIN_DIR/helm" version --short)"
echo "$BIN_DIR"
