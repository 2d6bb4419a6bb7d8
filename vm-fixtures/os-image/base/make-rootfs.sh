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
# The reference OS runs on QEMU (and, later, plain x86 servers): drop drivers for hardware
# it never has, which are most of the kernel's size.
for kver in $(ls "$target/lib/modules"); do
  k="$target/lib/modules/$kver/kernel"
  rm -rf "$k/drivers/gpu" "$k/drivers/media" "$k/drivers/net/wireless" "$k/drivers/infiniband" \
    "$k/drivers/staging" "$k/drivers/bluetooth" "$k/drivers/isdn" "$k/drivers/iio" "$k/drivers/net/can" \
    "$k/drivers/input/touchscreen" "$k/drivers/hwmon" "$k/drivers/mtd" "$k/drivers/comedi" \
    "$k/drivers/net/usb" "$k/drivers/usb/gadget" "$k/drivers/video/fbdev" "$k/drivers/thunderbolt" \
    "$k/sound" "$k/net/wireless" "$k/net/mac80211" "$k/net/bluetooth" "$k/drivers/net/ethernet/mellanox" \
    "$k/drivers/scsi/lpfc" "$k/drivers/scsi/qla2xxx" "$k/drivers/scsi/mpt3sas" "$k/drivers/net/ethernet/chelsio"
  chroot "$target" depmod -a "$kver"
done
echo "make-rootfs: done ($(du -sm "$target" | cut -f1) MB)"
