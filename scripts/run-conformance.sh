#!/usr/bin/env bash
# The main job: set this machine up, then run the conformance suite (features/) against the
# reference implementation on a local Kubernetes API server. Extra arguments go to Maven,
# e.g. -Dcucumber.filter.tags=@sim or -Delemental.cluster=kubeconfig -Delemental.sut=external
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
exec ./mvnw -B verify -Delemental.cluster=local -DskipUnitTests "$@"
