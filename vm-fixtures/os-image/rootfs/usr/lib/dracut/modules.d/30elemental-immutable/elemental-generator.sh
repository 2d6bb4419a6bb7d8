#!/bin/sh
# systemd generator (initrd): when GRUB booted an installed Elemental entry, /sysroot is the
# snapshot image, loop-mounted read-only from the partition root= names, instead of that
# partition itself. The unit goes to the "early" directory, which takes precedence over the
# sysroot.mount that systemd-fstab-generator makes from root=.
set -eu
early=${2:-/run/systemd/generator.early}

image=
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        elemental.image=*) image=${arg#elemental.image=} ;;
    esac
done
[ -n "$image" ] || exit 0

case "$image" in
    active) label=COS_STATE file=.snapshots/active type=ext4 partopts=rw ;;
    passive[0-9]*) label=COS_STATE file=.snapshots/${image#passive}/snapshot.img type=ext4 partopts=rw ;;
    # The recovery image is a squashfs, or the seed ISO holding one (elemental-recovery-image decides).
    recovery) label=COS_RECOVERY file=boot/recovery.img type=squashfs partopts=ro ;;
    *) echo "elemental-generator: unknown elemental.image=$image; booting root= as is" > /dev/kmsg; exit 0 ;;
esac

part=/run/initramfs/elemental/part
mkdir -p "$early"
cat > "$early/run-initramfs-elemental-part.mount" <<UNIT
# Made by elemental-generator: the partition holding the image to boot.
[Unit]
DefaultDependencies=no
Before=initrd-root-fs.target
[Mount]
What=/dev/disk/by-label/$label
Where=$part
Type=ext4
Options=$partopts
UNIT
what=$part/$file
requires=run-initramfs-elemental-part.mount
if [ "$image" = recovery ]; then
    what=/run/initramfs/elemental/recovery.img
    requires=elemental-recovery-image.service
    cat > "$early/elemental-recovery-image.service" <<UNIT
# Made by elemental-generator: finds the squashfs of the recovery image (itself, or inside the seed ISO).
[Unit]
DefaultDependencies=no
Requires=run-initramfs-elemental-part.mount
After=run-initramfs-elemental-part.mount
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/sbin/elemental-recovery-image $part/$file
UNIT
fi
cat > "$early/sysroot.mount" <<UNIT
# Made by elemental-generator: the $image image, read-only, as the root.
[Unit]
DefaultDependencies=no
Before=initrd-root-fs.target
Requires=$requires
After=$requires
[Mount]
What=$what
Where=/sysroot
Type=$type
Options=ro,loop
UNIT
