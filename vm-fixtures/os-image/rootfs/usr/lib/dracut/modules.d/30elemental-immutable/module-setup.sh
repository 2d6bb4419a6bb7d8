#!/bin/bash
# dracut module of the reference OS: boots an installed Elemental disk with an immutable root.
# GRUB's entries pass root=LABEL=COS_STATE|COS_RECOVERY elemental.image=active|passive<N>|recovery
# elemental.mode=<mode>; without elemental.image= (the live seed image) the module does nothing.

check() {
    return 0
}

depends() {
    echo systemd-initrd dracut-systemd
}

installkernel() {
    instmods loop squashfs overlay ext4 vfat isofs
}

install() {
    inst_multiple mount umount losetup mkdir cp mv rm tr cat sleep ln
    inst_script "$moddir/elemental-generator.sh" "$systemdutildir/system-generators/elemental-generator"
    inst_script "$moddir/elemental-immutable-root.sh" /sbin/elemental-immutable-root
    inst_script "$moddir/elemental-recovery-image.sh" /sbin/elemental-recovery-image
    inst_hook pre-pivot 50 "$moddir/elemental-pre-pivot.sh"
}
