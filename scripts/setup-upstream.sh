#!/usr/bin/env bash
# Fills the cache with the real upstream Elemental stack, built once from its published Go
# modules at pinned release tags: elemental-operator and elemental-register (module
# github.com/rancher/elemental-operator) and rancher-system-agent (github.com/rancher/system-agent).
# Idempotent: a warm cache returns in well under a second.
#
# Each module is built through a small wrapper module that requires it at its tag and repeats
# every replace directive of its go.mod (`go install pkg@version` refuses a module that has
# replaces). Nothing of upstream is copied into this repo: the source comes from the Go module
# cache, the wrapper and the binaries live in the harness cache.
#
# Cache: ${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}/upstream/
#   <name>-<tag>-<recipe hash>/{wrapper,bin,build.log}   one per module
#   bin-<recipe hash>/                                     all binaries, plus `versions`
#                                                          ("binary module tag" per line)
# Prints that bin-<hash> directory on stdout; everything else goes to stderr.
# --cached-only: print it if the cache is complete, else exit 3 without building (the harness
# asks this way, so the recipe lives here alone).
#
# The tags are the newest releases whose source the Go module proxy serves; to try another one:
#   ELEMENTAL_OPERATOR_VERSION=v1.9.2 SYSTEM_AGENT_VERSION=v0.15.0 scripts/setup-upstream.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/go-wrapper.sh
. "$here/lib/go-wrapper.sh"

ELEMENTAL_OPERATOR_VERSION="${ELEMENTAL_OPERATOR_VERSION:-v1.9.1}"
SYSTEM_AGENT_VERSION="${SYSTEM_AGENT_VERSION:-v0.15.0}"
# A module whose go.mod asks for a newer Go than the machine's is built with this toolchain,
# which the go command takes from the Go module proxy.
NEWER_GO_TOOLCHAIN="go1.27.3"

# One line per program: name | module | tag | package | binary | CGO_ENABLED | -X variables
# (in package path.Var form; the values are the tag, the tag's commit and its commit time).
# elemental-register needs cgo: its emulated TPM (--emulate-tpm) is go-tpm-tools' simulator,
# C code linked against OpenSSL's libcrypto; without cgo it fails at run time. Upstream's own
# Makefile builds it with CGO_ENABLED=1 and the operator with CGO_ENABLED=0, as here.
EO=github.com/rancher/elemental-operator
SA=github.com/rancher/system-agent
PROGRAMS=(
  "elemental-operator|$EO|$ELEMENTAL_OPERATOR_VERSION|$EO/cmd/operator|elemental-operator|0|$EO/pkg/version.Version=TAG $EO/pkg/version.Commit=COMMIT $EO/pkg/version.CommitDate=DATE"
  "elemental-operator|$EO|$ELEMENTAL_OPERATOR_VERSION|$EO/cmd/register|elemental-register|1|$EO/pkg/version.Version=TAG $EO/pkg/version.Commit=COMMIT $EO/pkg/version.CommitDate=DATE"
  "system-agent|$SA|$SYSTEM_AGENT_VERSION|$SA|rancher-system-agent|0|$SA/pkg/version.Version=TAG $SA/pkg/version.GitCommit=COMMIT"
)
CGO_DEBIAN_PACKAGES=(gcc libc6-dev libssl-dev)
NAMES=(elemental-operator system-agent)

CACHE_ROOT="${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}"
UP_DIR="$CACHE_ROOT/upstream"

log() { printf '[setup-upstream] %s\n' "$*" >&2; }

# Everything that decides what one module's binaries are; a change makes a new cache folder.
module_recipe() {
  local name="$1" line out=""
  for line in "${PROGRAMS[@]}"; do
    [ "${line%%|*}" = "$name" ] && out+="$line; "
  done
  printf '%swrapper repeats replaces; -mod=mod -buildvcs=false -trimpath -s -w; cgo: %s; %s' \
    "$out" "${CGO_DEBIAN_PACKAGES[*]}" "$(go_minor)"
}
module_dir() {
  local name="$1" tag
  tag="$(for line in "${PROGRAMS[@]}"; do IFS='|' read -r n _ t _ <<<"$line"; [ "$n" = "$name" ] && echo "$t"; done | head -n1)"
  printf '%s/%s-%s-%s\n' "$UP_DIR" "$name" "$tag" "$(recipe_hash "$(module_recipe "$name")")"
}
RECIPE="$(for n in "${NAMES[@]}"; do module_recipe "$n"; echo; done)"
BIN_DIR="$UP_DIR/bin-$(recipe_hash "$RECIPE")"

module_complete() {
  local name="$1" dir line n bin
  dir="$(module_dir "$name")"
  [ "$(cat "$dir/bin/.recipe" 2>/dev/null)" = "$(module_recipe "$name")" ] || return 1
  for line in "${PROGRAMS[@]}"; do
    IFS='|' read -r n _ _ _ bin _ <<<"$line"
    [ "$n" != "$name" ] || [ -x "$dir/bin/$bin" ] || return 1
  done
}
complete() {
  local line bin
  for line in "${PROGRAMS[@]}"; do
    IFS='|' read -r _ _ _ _ bin _ <<<"$line"
    [ -x "$BIN_DIR/$bin" ] || return 1
  done
  [ -f "$BIN_DIR/versions" ] && [ "$(cat "$BIN_DIR/.recipe" 2>/dev/null)" = "$RECIPE" ]
}
if complete; then
  log "upstream binaries already cached in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi
if [ "${1:-}" = "--cached-only" ]; then
  log "the upstream Elemental binaries ($EO@$ELEMENTAL_OPERATOR_VERSION, $SA@$SYSTEM_AGENT_VERSION) are not built yet in $BIN_DIR; run scripts/setup-upstream.sh (as root if it must install ${CGO_DEBIAN_PACKAGES[*]})"
  exit 3
fi

# "1" if Go version $1 (from a go line, e.g. 1.26.0) is newer than the go command's own.
newer_than_local_go() {
  local own
  own="$(go env GOVERSION | sed -E 's/^go//; s/[^0-9.].*$//')"
  [ "$1" != "$own" ] && [ "$(printf '%s\n%s\n' "$1" "$own" | sort -V | tail -n1)" = "$1" ]
}

# Builds one module's programs into $(module_dir NAME)/bin. On failure prints one message
# naming the module, the tag, the log and the fix, and returns 1 (the other modules still build).
build_module() {
  local name="$1" dir wrapper log_file module="" tag="" json commit date upstream_mod src go_line
  local line n m t pkg bin cgo xvars toolchain=""
  dir="$(module_dir "$name")"; wrapper="$dir/wrapper"; log_file="$dir/build.log"
  for line in "${PROGRAMS[@]}"; do
    IFS='|' read -r n m t _ <<<"$line"
    [ "$n" = "$name" ] && { module="$m"; tag="$t"; break; }
  done
  mkdir -p "$wrapper" "$dir/bin" && : >"$log_file" || { log "ERROR: cannot write to $dir"; return 1; }

  # Is module@tag served, source and all? (The proxy may serve a tag's go.mod but not its zip.)
  if ! json="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$module@$tag" 2>>"$log_file")" \
      || printf '%s' "$json" | grep -q '"Error"'; then
    printf '%s\n' "$json" >>"$log_file"
    log "ERROR: the Go module proxy does not serve the source of $module@$tag: $(printf '%s' "$json" | jq -r '.Error // empty' 2>/dev/null | head -n1)"
    log "  log: $log_file"
    log "  fix: pin a tag whose source it serves (check one with 'go mod download -json $module@TAG'), e.g. $(echo "${name//-/_}" | tr a-z A-Z)_VERSION=TAG scripts/setup-upstream.sh, and make it the default in scripts/setup-upstream.sh"
    return 1
  fi
  commit="$(printf '%s' "$json" | jq -r '.Origin.Hash // empty')"; commit="${commit:0:12}"
  date="$(printf '%s' "$json" | jq -r '.Time // empty')"
  # (set -e is off inside a function called from a condition: every step checks itself.)
  upstream_mod="$(go_mod_file "$module" "$tag")" || return 1
  src="$(go_mod_dir "$module" "$tag")" || return 1

  # The wrapper: require the module at its tag, repeat its replaces, and a go line at least its.
  go_line="$(awk '$1 == "go" {print $2; exit}' "$upstream_mod")"
  if newer_than_local_go "$go_line"; then toolchain="$NEWER_GO_TOOLCHAIN"; fi
  {
    echo "module elemental-harness/upstream-$name-build"
    echo
    echo "go $go_line"
    echo
    echo "require $module $tag"
  } >"$wrapper/go.mod" && rm -f "$wrapper/go.sum" || { log "ERROR: cannot write $wrapper/go.mod"; return 1; }
  local replaces
  replaces="$(go mod edit -json "$upstream_mod" | jq -r '(.Replace // [])[] | "\(.Old.Path)\(if .Old.Version then "@"+.Old.Version else "" end)=\(.New.Path)\(if .New.Version then "@"+.New.Version else "" end)"')"
  local r count=0
  while IFS= read -r r; do
    [ -n "$r" ] || continue
    case "${r#*=}" in
      ./*|../*|/*) log "ERROR: $module@$tag replaces ${r%%=*} with the local folder ${r#*=}, which is not in its module zip; the wrapper cannot repeat it (fix: replace it in scripts/setup-upstream.sh with a published version)"; return 1 ;;
    esac
    go mod edit -replace "$r" "$wrapper/go.mod" || { log "ERROR: could not add the replace $r of $module@$tag to $wrapper/go.mod"; return 1; }
    count=$((count + 1))
  done <<<"$replaces"
  [ "$(go mod edit -json "$wrapper/go.mod" | jq '(.Replace // []) | length')" = "$count" ] \
    || { log "ERROR: the wrapper for $module@$tag did not take all $count replaces of $upstream_mod"; return 1; }
  log "building $name $tag ($module; $count replaces; go $go_line${toolchain:+, GOTOOLCHAIN=$toolchain}; log: $log_file)"

  # One go build per CGO setting; -o DIR/ names each binary after its package's last element,
  # so each is moved to its real name afterwards.
  local want_cgo pkgs renames out t0 ldflags
  t0=$(date +%s)
  for want_cgo in 0 1; do
    pkgs=(); renames=(); xvars=""
    for line in "${PROGRAMS[@]}"; do
      IFS='|' read -r n _ _ pkg bin cgo t <<<"$line"
      [ "$n" = "$name" ] && [ "$cgo" = "$want_cgo" ] || continue
      pkgs+=("$pkg"); renames+=("${pkg##*/}=$bin"); xvars="$t"
    done
    ((${#pkgs[@]})) || continue
    if [ "$want_cgo" = 1 ]; then
      ensure_debian_packages "${CGO_DEBIAN_PACKAGES[@]}"
    fi
    ldflags="-s -w"
    for t in $xvars; do
      t="${t/=TAG/=$tag}"; t="${t/=COMMIT/=${commit:-$tag}}"; t="${t/=DATE/=${date:-unknown}}"
      ldflags+=" -X $t"
    done
    out="$dir/out-cgo$want_cgo"
    rm -rf "$out"; mkdir -p "$out"
    if ! ( cd "$wrapper" && CGO_ENABLED="$want_cgo" GOFLAGS="-mod=mod -buildvcs=false" ${toolchain:+GOTOOLCHAIN=$toolchain} \
          go build -trimpath -ldflags "$ldflags" -o "$out/" "${pkgs[@]}" ) >>"$log_file" 2>&1; then
      tail -n 20 "$log_file" >&2
      log "ERROR: building ${pkgs[*]} from $module@$tag (CGO_ENABLED=$want_cgo) failed"
      log "  log: $log_file"
      log "  fix: a module the proxy does not serve is named above: pin another tag of $module (whose requirements the proxy serves) in scripts/setup-upstream.sh; a C compile error: apt-get install ${CGO_DEBIAN_PACKAGES[*]}"
      return 1
    fi
    for r in "${renames[@]}"; do
      [ -x "$out/${r%%=*}" ] || { log "ERROR: go build of $module@$tag finished but ${r%%=*} is missing; log: $log_file"; return 1; }
      mv -f "$out/${r%%=*}" "$dir/bin/${r#*=}" || return 1
    done
    rmdir "$out" 2>/dev/null || true
  done
  printf '%s\n' "$(module_recipe "$name")" >"$dir/bin/.recipe"
  log "built $name $tag in $(( $(date +%s) - t0 )) s (source: $src)"
}

start=$(date +%s)
require_go
command -v jq >/dev/null 2>&1 || ensure_debian_packages jq
failed=()
for n in "${NAMES[@]}"; do
  if module_complete "$n"; then
    log "$n already built in $(module_dir "$n")/bin"
  elif ! build_module "$n"; then
    failed+=("$n")
  fi
done
((${#failed[@]} == 0)) || die "not built: ${failed[*]} (see the messages above); $BIN_DIR is not complete"

mkdir -p "$BIN_DIR"
: >"$BIN_DIR/versions.tmp"
for line in "${PROGRAMS[@]}"; do
  IFS='|' read -r n m t _ bin _ <<<"$line"
  ln -f "$(module_dir "$n")/bin/$bin" "$BIN_DIR/$bin" 2>/dev/null || cp -f "$(module_dir "$n")/bin/$bin" "$BIN_DIR/$bin"
  printf '%s %s %s\n' "$bin" "$m" "$t" >>"$BIN_DIR/versions.tmp"
done
mv -f "$BIN_DIR/versions.tmp" "$BIN_DIR/versions"
printf '%s\n' "$RECIPE" >"$BIN_DIR/.recipe"
log "upstream binaries ready in $BIN_DIR after $(( $(date +%s) - start )) s"
echo "$BIN_DIR"
