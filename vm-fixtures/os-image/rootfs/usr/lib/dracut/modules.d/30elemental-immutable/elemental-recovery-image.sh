#!/bin/sh
# initrd, recovery boot: links /run/initramfs/elemental/recovery.img to the squashfs that becomes the
# root. The recovery image on COS_RECOVERY is that squashfs, or the seed ISO (a machine installed
# from it: GRUB reads ISO 9660, not a zstd squashfs), whose LiveOS/squashfs.img it is; the ISO is
# then loop-mounted at /run/initramfs/elemental/recovery-iso, where it stays for the whole boot.
# Usage: elemental-recovery-image <recovery.img>
set -u
image=$1
link=/run/initramfs/elemental/recovery.img
iso=/run/initramfs/elemental/recovery-iso
log() { echo "elemental-recovery-image: $*" > /dev/console 2>/dev/null; echo "elemental-recovery-image: $*"; }

mkdir -p "$iso"
if mount -t iso9660 -o ro,loop "$image" "$iso" 2>/dev/null; then
    if [ ! -f "$iso/LiveOS/squashfs.img" ]; then
        log "ERROR: $image is an ISO without LiveOS/squashfs.img; nothing to boot"
        exit 1
    fi
    ln -sf "$iso/LiveOS/squashfs.img" "$link"
    log "the recovery image is a seed ISO; booting its LiveOS/squashfs.img"
else
    rmdir "$iso" 2>/dev/null
    ln -sf "$image" "$link"
fi
