#!/usr/bin/env bash
# Runs the cloud-config vectors (reference-impl/node/src/test/resources/cloud-config-vectors)
# through the real yip and through the reference's Java stage runner, and diffs what each left
# behind: files, directories, modes, owners, symbolic links, and the passwd, group and shadow lines.
#
#   yip:  github.com/rancher/yip at the version elemental-toolkit vendors (v1.9.6), built once from
#         the Go module proxy inside a wrapper module of ours (scripts/lib/go-wrapper.sh), with a
#         small main that does what `elemental run-stage STAGE` does (elemental-toolkit
#         pkg/utils/runstage.go, pkg/cloudinit/cloudinit.go): the toolkit's plugin list in its order,
#         STAGE.before, STAGE, STAGE.after over /system/oem, /oem, /usr/local/cloud-config. yip has no
#         root option, so it runs as root in a throwaway container of the OS base image
#         (elemental-base:<tag>, no network), which is deleted afterwards.
#   Java: `elemental run-stage STAGE --root <scratch>` on this machine (the node module's classes),
#         on a copy of that
#         container's /etc, /root, /home, /srv, /opt, /usr/local, /var/lib and /var/log. Commands of the vectors
#         write to ${ROOT:-}/..., so both sides write into the root they act on.
#
# Usage: scripts/compare-yip.sh [vector ...]      (default: every vector)
# Env:   ELEMENTAL_BASE_IMAGE (default: the newest elemental-base:* image), ELEMENTAL_CACHE,
#        JAVA (default: java on PATH), JAVA_CLASSPATH (default: compiled here), KEEP=1 keeps the
#        scratch folder.
# Exit:  0 when both runners agree on every vector, 1 when some differ (each difference printed),
#        2 when something needed is missing (a line says what and how to get it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=lib/go-wrapper.sh
. "$here/lib/go-wrapper.sh"

YIP_MODULE="github.com/rancher/yip"
YIP_VERSION="${YIP_VERSION:-v1.9.6}"
VECTORS="$repo/reference-impl/node/src/test/resources/cloud-config-vectors"
CACHE_ROOT="${ELEMENTAL_CACHE:-$HOME/.cache/elemental-harness}"
JAVA="${JAVA:-java}"
# What both sides compare: the directories a cloud-config of the vectors writes to.
COMPARED="etc root home srv opt usr/local var/lib var/log oem system"

log() { printf '[compare-yip] %s\n' "$*" >&2; }
missing() { printf '[compare-yip] ERROR: %s\n' "$*" >&2; exit 2; }

# --- yip, built once ---------------------------------------------------------------------------
MAIN_GO='package main

// yip-run-stage [--strict] STAGE [PATH...]: `elemental run-stage STAGE` of elemental-toolkit, with
// its yip plugins in its order (pkg/cloudinit/cloudinit.go, less the toolkit-only layout plugin)
// and its passes (pkg/utils/runstage.go: STAGE.before, STAGE, STAGE.after over the paths that
// exist). The kernel command line is not read.
import (
	"os"

	"github.com/rancher/yip/pkg/console"
	"github.com/rancher/yip/pkg/executor"
	"github.com/rancher/yip/pkg/plugins"
	"github.com/sirupsen/logrus"
	"github.com/twpayne/go-vfs/v4"
)

func main() {
	args := os.Args[1:]
	strict := false
	if len(args) > 0 && args[0] == "--strict" {
		strict, args = true, args[1:]
	}
	if len(args) == 0 {
		os.Stderr.WriteString("usage: yip-run-stage [--strict] STAGE [PATH...]\n")
		os.Exit(2)
	}
	stage, paths := args[0], args[1:]
	if len(paths) == 0 {
		paths = []string{"/system/oem", "/oem/", "/usr/local/cloud-config/"}
	}
	existing := []string{}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			existing = append(existing, p)
		}
	}
	l := logrus.New()
	l.SetOutput(os.Stdout)
	run := executor.NewExecutor(
		executor.WithConditionals(plugins.NodeConditional, plugins.IfConditional),
		executor.WithLogger(l),
		executor.WithPlugins(plugins.DNS, plugins.Download, plugins.Entities, plugins.EnsureDirectories,
			plugins.EnsureFiles, plugins.Commands, plugins.DeleteEntities, plugins.Hostname, plugins.Sysctl,
			plugins.User, plugins.SSH, plugins.Timesyncd, plugins.Systemctl, plugins.Environment,
			plugins.SystemdFirstboot, plugins.DataSources),
	)
	failed := false
	if len(existing) > 0 {
		for _, s := range []string{stage + ".before", stage, stage + ".after"} {
			if err := run.Run(s, vfs.OSFS, console.NewStandardConsole(console.WithLogger(l)), existing...); err != nil {
				l.Warn(err)
				failed = true
			}
		}
	}
	if failed && strict {
		os.Exit(1)
	}
}
'
build_yip() {
  local recipe dir bin upstream_mod
  recipe="$YIP_MODULE $YIP_VERSION; yip-run-stage main $(printf '%s' "$MAIN_GO" | sha256sum | cut -c1-12); CGO_ENABLED=0 -trimpath -s -w; $(go_minor)"
  dir="$CACHE_ROOT/yip/$YIP_VERSION-$(recipe_hash "$recipe")"
  bin="$dir/bin/yip-run-stage"
  if [ -x "$bin" ] && [ "$(cat "$dir/bin/.recipe" 2>/dev/null)" = "$recipe" ]; then
    log "yip $YIP_VERSION already built: $bin"
    echo "$bin"
    return
  fi
  require_go
  mkdir -p "$dir/bin" "$dir/wrapper"
  upstream_mod="$(go_mod_file "$YIP_MODULE" "$YIP_VERSION")"
  {
    echo "module elemental-harness/yip-run-stage"
    echo
    echo "go $(awk '$1 == "go" {print $2; exit}' "$upstream_mod")"
    echo
    echo "require $YIP_MODULE $YIP_VERSION"
    # yip's own replaces (github.com/tredoe/osutil => kairos-io/osutil) must be repeated here.
    awk '$1 == "replace" && $2 != "(" {print} $1 == "replace" && $2 == "(" {r=1; print; next} r {print} r && $1 == ")" {r=0}' "$upstream_mod"
  } > "$dir/wrapper/go.mod"
  printf '%s' "$MAIN_GO" > "$dir/wrapper/main.go"
  log "building yip $YIP_VERSION (yip-run-stage; log: $dir/build.log)"
  local t0; t0=$(date +%s)
  ( cd "$dir/wrapper" && GOFLAGS="-mod=mod -buildvcs=false" go mod tidy && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" \
      go build -trimpath -ldflags "-s -w" -o "$bin" . ) >"$dir/build.log" 2>&1 \
    || { tail -n 30 "$dir/build.log" >&2; missing "building yip $YIP_VERSION failed; full log: $dir/build.log"; }
  echo "$recipe" > "$dir/bin/.recipe"
  log "built yip $YIP_VERSION in $(( $(date +%s) - t0 )) s"
  echo "$bin"
}

# --- the Java runner -----------------------------------------------------------------------------
# The node module's classes and runtime dependencies (not its shaded jar: a running @vm suite may be
# packing that one into an OS image).
java_classpath() {
  command -v "$JAVA" >/dev/null 2>&1 || missing "no $JAVA on PATH. Fix: install Java 17 or set JAVA"
  if [ -n "${JAVA_CLASSPATH:-}" ]; then echo "$JAVA_CLASSPATH"; return; fi
  local out="$1/classpath.txt"
  log "compiling the node module and resolving its runtime classpath (./mvnw -o -q -pl reference-impl/node)"
  ( cd "$repo" && ./mvnw -o -q -pl reference-impl/node compile dependency:build-classpath \
      -Dmdep.outputFile="$out" -Dmdep.includeScope=runtime ) >&2 \
    || missing "could not compile reference-impl/node. Fix: ./mvnw -pl reference-impl/node -am install -DskipTests once"
  echo "$repo/reference-impl/node/target/classes:$(cat "$out")"
}

# --- docker ---------------------------------------------------------------------------------------
base_image() {
  command -v docker >/dev/null 2>&1 || missing "no docker command. Fix: apt-get install docker.io"
  docker info >/dev/null 2>&1 || missing "the Docker engine is not running. Fix: start it with 'dockerd >/var/log/dockerd.log 2>&1 &' (as root), then re-run"
  local image="${ELEMENTAL_BASE_IMAGE:-}"
  if [ -z "$image" ]; then
    image="$(docker images --format '{{.Repository}}:{{.Tag}} {{.CreatedAt}}' | awk '$1 ~ /^elemental-base:/' \
      | sort -k2 -r | awk 'NR == 1 {print $1}')"
  fi
  [ -n "$image" ] || missing "no elemental-base:<tag> image here. Fix: run the @vm tier once (it builds it), or set ELEMENTAL_BASE_IMAGE"
  echo "$image"
}

# One line per entry under the compared directories of root $1: path, type, mode, owner, content
# hash or link target. /etc/shadow is left out here and compared normalised.
MANIFEST_SH='root=$1; shift
cd "$root" || exit 1
for d in '"$COMPARED"'; do [ -e "$d" ] && printf "%s\n" "$d"; done | while IFS= read -r top; do
  find "$top" -xdev \( -path etc/shadow -o -path "etc/shadow-" -o -path etc/.pwd.lock -o -name "*.dpkg-*" \) -prune -o -print
done | LC_ALL=C sort | while IFS= read -r p; do
  if [ -L "$p" ]; then printf "%s l %s\n" "$p" "$(readlink "$p")"
  elif [ -d "$p" ]; then printf "%s d %s\n" "$p" "$(stat -c "%a %u:%g" "$p")"
  else printf "%s f %s %s\n" "$p" "$(stat -c "%a %u:%g" "$p")" "$(sha256sum < "$p" | cut -c1-16)"
  fi
done'
# /etc/shadow with what differs between any two runs (the day of the change, salted hashes) masked.
SHADOW_SED='s/\$6\$[^:]*/HASH/; s/^\([^:]*:[^:]*:\)[0-9][0-9]*:/\1DAYS:/'

compare_vector() {
  local name="$1" yip="$2" classpath="$3" image="$4" base_tar="$5" work="$6"
  local vector="$VECTORS/$name" stages
  stages="$(cat "$vector/stages" 2>/dev/null || echo boot)"
  mkdir -p "$work/$name/java-root" "$work/$name/out"

  # yip, in a throwaway container.
  docker run --rm --network none --hostname cc-node \
      -v "$vector:/vector:ro" -v "$yip:/usr/local/bin/yip-run-stage:ro" -v "$work/$name/out:/out" \
      -v "$work/manifest.sh:/manifest.sh:ro" "$image" sh -c '
    set -e; umask 022
    [ -d /vector/base ] && cp -a /vector/base/. /
    if [ -d /vector/append ]; then (cd /vector/append && find . -type f) | while read -r f; do cat "/vector/append/$f" >> "/$f"; done; fi
    mkdir -p /oem; cp /vector/input.yaml "/oem/90_'"$name"'.yaml"
    sh /manifest.sh / > /out/yip-before
    for s in '"$stages"'; do yip-run-stage "$s" > /out/yip-log-$s.txt 2>&1 || true; done
    sh /manifest.sh / > /out/yip-after
    sed "'"$SHADOW_SED"'" /etc/shadow > /out/yip-shadow' >/dev/null 2>"$work/$name/out/docker.err" \
    || { cat "$work/$name/out/docker.err" >&2; log "$name: the yip container failed"; return 1; }

  # Java, on a copy of the same base.
  local root="$work/$name/java-root"
  tar -C "$root" -xf "$base_tar"
  mkdir -p "$root/oem" "$root/tmp"
  ( umask 022
    [ -d "$vector/base" ] && cp -a "$vector/base/." "$root/"
    if [ -d "$vector/append" ]; then (cd "$vector/append" && find . -type f) | while read -r f; do cat "$vector/append/$f" >> "$root/$f"; done; fi
    cp "$vector/input.yaml" "$root/oem/90_$name.yaml"
    sh "$work/manifest.sh" "$root" > "$work/$name/out/java-before"
    for s in $stages; do
      "$JAVA" -cp "$classpath" io.elemental.conformance.node.cli.ElementalMain run-stage "$s" --root "$root" \
        > "$work/$name/out/java-log-$s.txt" 2>&1 || true
    done
    sh "$work/manifest.sh" "$root" > "$work/$name/out/java-after"
    sed "$SHADOW_SED" "$root/etc/shadow" > "$work/$name/out/java-shadow" )

  # What each changed (new or different entries, and removed ones), then the two compared.
  local o="$work/$name/out" differ=0
  for side in yip java; do
    { comm -13 "$o/$side-before" "$o/$side-after" | sed 's/^/+ /'
      comm -23 <(cut -d' ' -f1 "$o/$side-before") <(cut -d' ' -f1 "$o/$side-after") | sed 's/^/- /'
    } | LC_ALL=C sort > "$o/$side-changes"
  done
  if ! diff -u --label "yip $YIP_VERSION" --label "java run-stage" "$o/yip-changes" "$o/java-changes" > "$o/changes.diff"; then
    differ=1
  fi
  if ! diff -u --label "yip /etc/shadow" --label "java /etc/shadow" "$o/yip-shadow" "$o/java-shadow" > "$o/shadow.diff"; then
    differ=1
  fi
  if [ "$differ" = 0 ]; then
    printf '%-28s same (%s changed entries)\n' "$name" "$(wc -l < "$o/java-changes")"
  else
    printf '%-28s DIFFERENT\n' "$name"
    sed 's/^/    /' "$o/changes.diff" "$o/shadow.diff"
    printf '    yip said:\n'; grep -hE 'level=(error|warning)' "$o"/yip-log-*.txt | sed 's/^/      /' | head -n 20 || true
    printf '    java said:\n'; grep -hv '| ' "$o"/java-log-*.txt | sed 's/^/      /' | head -n 20 || true
  fi
  return "$differ"
}

main() {
  [ -d "$VECTORS" ] || missing "no vectors at $VECTORS"
  local names=("$@")
  if [ ${#names[@]} -eq 0 ]; then
    mapfile -t names < <(find "$VECTORS" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort)
  fi
  local yip classpath image work
  work="$(mktemp -d /tmp/compare-yip.XXXXXX)"
  [ "${KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
  yip="$(build_yip)"
  classpath="$(java_classpath "$work")"
  image="$(base_image)"
  printf '%s\n' "$MANIFEST_SH" > "$work/manifest.sh"
  log "base image $image; scratch $work"
  # The Java side's base: the compared directories of a container of that image (same flags).
  docker run --rm --network none --hostname cc-node "$image" sh -c \
    "cd / && for d in $COMPARED; do [ -e \"\$d\" ] && echo \"\$d\"; done | tar -cf - -T -" > "$work/base.tar" \
    || missing "cannot read the base of $image"
  local failed=0 name
  for name in "${names[@]}"; do
    [ -f "$VECTORS/$name/input.yaml" ] || { log "no vector $name"; failed=1; continue; }
    compare_vector "$name" "$yip" "$classpath" "$image" "$work/base.tar" "$work" || failed=1
  done
  if [ "$failed" = 0 ]; then log "yip $YIP_VERSION and the Java runner agree on ${#names[@]} vectors"
  else log "some vectors differ (above); KEEP=1 keeps the scratch folder with both sides' logs"; fi
  return "$failed"
}

main "$@"
