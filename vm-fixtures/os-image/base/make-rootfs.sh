#!/bin/sh
# Builds the root filesystem of the reference OS's BASE layer: Debian minbase plus the packages in
# packages.txt, trimmed (no docs, man pages, locales, apt lists, unused kernel drivers).
# Everything that needs the Debian mirror happens here, so `docker build` of the OS image needs no
# network. Usage: make-rootfs.sh <target-dir> <suite> <mirror> <packages.txt>
set -eu
target=$1 suite=$2 mirror=$3 packages=$4
packages=$(grep -v '^#' "$packages" | tr '\n' ' ')

echo "make-rootfs: debootstrap $suite from $mirror into $target"
debootstrap --variant=minbase "$suite" "$target" "$mirror"

# Services must not start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' > "$target/usr/sbin/policy-rc.d"
chmod +x "$target/usr/sbin/policy-rc.d"
mount -t proc proc "$target/proc"
trap 'umount "$target/proc" 2>/dev/null || true' EXIT

echo "make-rootfs: apt-get install $packages"
chroot "$target" env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
  apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 $packages
chroot "$target" apt-get clean
umount "$target/proc"
trap - EXIT
rm -f "$target/usr/sbin/policy-rc.d"

echo "make-rootfs: trimming"
rm -rf "$target"/var/lib/apt/lists/* "$target"/var/cache/apt/*.bin "$target"/var/log/*.log \
  "$target"/usr/share/doc/* "$target"/usr/share/man/* "$target"/usr/share/info/* \
  "$target"/usr/share/locale/* "$target"/usr/share/lintian "$target"/usr/share/bug
# The OS image's Dockerfile makes its own (live-capable) initrd; the package hook's one is waste.
rm -f "$target"/boot/initrd.img-*
# Per-machine identity must be made at first boot, never shipped in an image.
rm -f "$target"/etc/ssh/ssh_host_*
: > "$target/etc/machine-id"
rm -f "$target/var/lib/dbus/machine-id"
# The reference OS runs on QEMU (q35, virtio, SATA CD-ROM, swtpm): drop drivers and file systems
# for hardware and storage it never has. Modules were 192 of the OS's 493 MB after the first cut
# below, and every install and upgrade copies them (pull, unpack, snapshot image) under TCG.
for kver in $(ls "$target/lib/modules"); do
  k="$target/lib/modules/$kver/kernel"
  rm -rf "$k/drivers/gpu" "$k/drivers/media" "$k/drivers/net/wireless" "$k/drivers/infiniband" \
    "$k/drivers/staging" "$k/drivers/bluetooth" "$k/drivers/isdn" "$k/drivers/iio" "$k/drivers/net/can" \
    "$k/drivers/input/touchscreen" "$k/drivers/hwmon" "$k/drivers/mtd" "$k/drivers/comedi" \
    "$k/drivers/net/usb" "$k/drivers/usb/gadget" "$k/drivers/video/fbdev" "$k/drivers/thunderbolt" \
    "$k/sound" "$k/net/wireless" "$k/net/mac80211" "$k/net/bluetooth" \
    "$k/drivers/net/ethernet" "$k/drivers/usb/serial" "$k/drivers/target" "$k/drivers/platform/x86" \
    "$k/arch/x86/kvm" "$k/lib/test_bpf.ko" "$k/net/sunrpc" \
    "$k/fs/xfs" "$k/fs/btrfs" "$k/fs/ocfs2" "$k/fs/nfs" "$k/fs/nfsd" "$k/fs/smb" "$k/fs/f2fs" "$k/fs/gfs2" \
    "$k/fs/ceph" "$k/fs/afs" "$k/fs/jfs" "$k/fs/reiserfs" "$k/fs/ntfs3" "$k/fs/dlm" "$k/fs/nilfs2" "$k/fs/orangefs" \
    "$k/fs/coda" "$k/fs/lockd" "$k/fs/nfs_common"
  # SCSI host adapters live in subdirectories; the disk, CD-ROM and virtio-scsi drivers are at the top.
  find "$k/drivers/scsi" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
  chroot "$target" depmod -a "$kver"
done
echo "make-rootfs: done ($(du -sm "$target" | cut -f1) MB)"
