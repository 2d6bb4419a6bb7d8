#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for the harness: the Debian packages the tests use, the
# cached Kubernetes binaries of the `local` cluster backend and the helm that installs the
# reference operator's chart (both built from their Go modules; Go must be on PATH). Idempotent; a warm machine
# returns in about a second. Needs root for apt-get (run with sudo otherwise).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

log() { printf '[setup] %s\n' "$*" >&2; }

packages=(
  ca-certificates curl   # Maven Wrapper's download of Maven
  openjdk-17-jdk-headless  # the build's JDK, if the machine has none
  swtpm swtpm-tools  # one software TPM per simulated machine
  # The @vm tier: QEMU machines with UEFI, their disks, and the forwards of their restricted network
  qemu-system-x86 qemu-utils ovmf socat openssh-client
  # OS images: built with Docker from a debootstrapped base, pushed to a registry on loopback
  docker.io docker-registry debootstrap
  # Seed ISOs: squashfs root, GRUB EFI, ISO 9660 (the operator builds them)
  squashfs-tools grub-efi-amd64-bin grub-common xorriso mtools dosfstools
  # The toolkit (install, upgrade, reset), on both tiers: GPT, snapshot images, recovery
  fdisk e2fsprogs
  # The local cluster's node: kubelet's container runtime, and a loopback-only CNI (pods use host networking)
  containerd runc containernetworking-plugins
  # The node's pause binary is compiled from Kubernetes' own pause.c
  gcc libc6-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || { echo "[setup] ERROR: need root to install ${missing[*]}; re-run with sudo" >&2; exit 1; }
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

k8s="$("$here/setup-cluster-binaries.sh")"
helm="$("$here/setup-helm.sh")"
log "machine ready: Kubernetes in $k8s, helm in $helm"
