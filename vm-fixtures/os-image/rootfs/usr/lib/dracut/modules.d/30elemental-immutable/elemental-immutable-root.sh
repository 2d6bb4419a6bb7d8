#!/bin/sh
# The writable parts of an installed Elemental system around its read-only root (ELEMENTAL.md §7;
# io.elemental.conformance.node.toolkit.ImmutableRoot has the same lists):
#   /etc /var /srv       tmpfs overlays (changes vanish at reboot)
#   /tmp                 a tmpfs (the root is read-only, and Debian puts no tmpfs there)
#   persistent paths     bind mounts of COS_PERSISTENT:.state/<path, / as ->.bind, seeded from the image
#   /oem                 COS_OEM, read-write
#   /run/elemental/<mode>_mode, /run/cos/<mode>_mode
# Usage: elemental-immutable-root <mode>   (root at $NEWROOT, default /sysroot)
set -u
mode=${1:-active}
root=${NEWROOT:-/sysroot}
overlay=/run/elemental/overlay
persistent=/run/initramfs/elemental/persistent
OVERLAYS="/etc /var /srv"
PERSISTENT_PATHS="/etc/systemd /etc/ssh /home /opt /root /var/log /var/lib/elemental /var/lib/rancher /usr/local"

# The console is where the machine's owner (and the harness) reads what happened; stdout is the journal.
log() { echo "elemental-immutable-root: $*" > /dev/console 2>/dev/null; echo "elemental-immutable-root: $*"; }
failed=0

device() { # waits for a labelled partition (udev makes the link), up to 30 s
    i=0
    while [ ! -e "/dev/disk/by-label/$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    [ -e "/dev/disk/by-label/$1" ]
}

mkdir -p "$overlay"
mount -t tmpfs -o mode=0755 tmpfs "$overlay" || { log "ERROR: no tmpfs for the overlays"; exit 1; }
for dir in $OVERLAYS; do
    [ -d "$root$dir" ] || continue
    name=$(echo "${dir#/}" | tr / -)
    mkdir -p "$overlay/$name/upper" "$overlay/$name/work"
    mount -t overlay "overlay-$name" -o "lowerdir=$root$dir,upperdir=$overlay/$name/upper,workdir=$overlay/$name/work" \
        "$root$dir" || { log "ERROR: cannot overlay $dir"; failed=1; }
done

mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp" || { log "ERROR: no tmpfs on /tmp"; failed=1; }

if [ "$mode" != recovery ]; then
    if device COS_PERSISTENT; then
        mkdir -p "$persistent"
        mount -o rw /dev/disk/by-label/COS_PERSISTENT "$persistent" || { log "ERROR: cannot mount COS_PERSISTENT"; failed=1; }
        for path in $PERSISTENT_PATHS; do
            bind="$persistent/.state/$(echo "${path#/}" | tr / -).bind"
            if [ ! -d "$bind" ]; then
                # First boot: seed from the image, then rename, so a power cut never leaves half a copy.
                rm -rf "$bind.new"
                mkdir -p "$bind.new"
                [ -d "$root$path" ] && cp -a "$root$path/." "$bind.new/"
                mv "$bind.new" "$bind"
            fi
            if [ ! -d "$root$path" ] && ! mkdir -p "$root$path" 2>/dev/null; then
                log "ERROR: $path has no mount point on the read-only root; it is not persistent"
                failed=1
                continue
            fi
            mount --bind "$bind" "$root$path" || { log "ERROR: cannot bind $path"; failed=1; }
        done
    else
        log "ERROR: no COS_PERSISTENT partition; nothing persists across reboots"
        failed=1
    fi
fi

if device COS_OEM; then
    [ -d "$root/oem" ] || log "ERROR: the image has no /oem mount point"
    mount -o rw /dev/disk/by-label/COS_OEM "$root/oem" || { log "ERROR: cannot mount COS_OEM at /oem"; failed=1; }
else
    log "ERROR: no COS_OEM partition"
    failed=1
fi

mkdir -p /run/elemental /run/cos
: > "/run/elemental/${mode}_mode"
: > "/run/cos/${mode}_mode"
log "booted $mode: read-only root, overlays on $OVERLAYS$([ "$mode" != recovery ] && echo ", persistent paths bound")"
exit $failed
