package io.elemental.conformance.node.toolkit;

/**
 * The {@code grub.cfg} install writes to COS_GRUB: a GRUB script implementing
 * {@link BootSelection}'s rules over the grubenv on COS_OEM, with one menu entry for the active
 * snapshot, one per passive snapshot listed in {@code passive_snaps}, and one for recovery.
 *
 * <p>It does not change after install: what changes (passive snapshots, next/saved entry, boot
 * assessment) lives in the grubenv, so an upgrade never rewrites a file on the FAT partition,
 * where a rename is not atomic.
 */
public final class GrubConfig {
  /** Where the EFI binary's embedded config looks for it, on COS_GRUB. */
  public static final String PATH = "EFI/ELEMENTAL/grub.cfg";

  private GrubConfig() {}

  public static String script() {
    return """
        # Elemental reference toolkit: boot selection (see BootSelection for the rules).
        insmod part_gpt
        insmod ext2
        insmod fat
        insmod loopback
        insmod squash4
        insmod loadenv
        insmod regexp
        insmod test
        insmod serial
        insmod linux
        set timeout=3
        # The serial console is the machine's log in VMs (and a server's remote console).
        serial --unit=0 --speed=115200
        terminal_input console serial
        terminal_output console serial
        search --no-floppy --label COS_OEM --set oem_blk
        search --no-floppy --label COS_STATE --set state_blk
        search --no-floppy --label COS_RECOVERY --set recovery_blk
        set env_file="(${oem_blk})/grubenv"
        if [ -f "${env_file}" ]; then load_env -f "${env_file}"; fi

        if [ -n "${next_entry}" ]; then
          set default="${next_entry}"
          set next_entry=
          save_env -f "${env_file}" next_entry
        elif [ -n "${saved_entry}" ]; then
          set default="${saved_entry}"
        else
          set default=active
        fi

        set chain="active"
        for snap in ${passive_snaps}; do set chain="${chain} passive${snap}"; done
        set chain="${chain} recovery"

        set health_check=
        if [ "${boot_assessment_check}" = "yes" ]; then
          if [ -n "${last_boot_attempt}" ]; then
            set seen=
            set next=recovery
            set picked=
            for entry in ${chain}; do
              if [ -n "${seen}" -a -z "${picked}" ]; then set next="${entry}"; set picked=1; fi
              if [ "${entry}" = "${last_boot_attempt}" ]; then set seen=1; fi
            done
            set default="${next}"
          fi
          set last_boot_attempt="${default}"
          save_env -f "${env_file}" last_boot_attempt
          set health_check=elemental.health_check
        fi

        set fallback=
        set seen=
        for entry in ${chain}; do
          if [ -n "${seen}" ]; then set fallback="${fallback} ${entry}"; fi
          if [ "${entry}" = "${default}" ]; then set seen=1; fi
        done

        set cmdline="console=tty1 console=ttyS0,115200 rd.neednet=0"

        menuentry "Elemental" --id active {
          loopback loop0 "(${state_blk})/.snapshots/active"
          linux (loop0)/boot/vmlinuz root=LABEL=COS_STATE elemental.image=active elemental.mode=active ${cmdline} ${extra_cmdline} ${health_check}
          initrd (loop0)/boot/initrd
        }
        for snap in ${passive_snaps}; do
          menuentry "Elemental (passive ${snap})" --id "passive${snap}" {
            # ${chosen} is the entry's title or id, depending on the GRUB version: match both.
            regexp --set=1:snapshot "passive ?([0-9]+)" "${chosen}"
            loopback loop0 "(${state_blk})/.snapshots/${snapshot}/snapshot.img"
            linux (loop0)/boot/vmlinuz root=LABEL=COS_STATE elemental.image=passive${snapshot} elemental.mode=passive ${cmdline} ${extra_cmdline} ${health_check}
            initrd (loop0)/boot/initrd
          }
        done
        menuentry "Elemental recovery" --id recovery {
          loopback loop0 "(${recovery_blk})/boot/recovery.img"
          linux (loop0)/boot/vmlinuz root=LABEL=COS_RECOVERY elemental.image=recovery elemental.mode=recovery ${cmdline} ${extra_cmdline} ${health_check}
          initrd (loop0)/boot/initrd
        }
        """;
  }

  /**
   * The config embedded in the EFI binary: find COS_GRUB and read {@link #PATH} from it. A
   * standalone GRUB loads no partition map nor file system on its own: without them it sees no
   * partitions, and no labels.
   */
  public static String embedded() {
    return """
        insmod part_gpt
        insmod fat
        insmod ext2
        search --no-floppy --label COS_GRUB --set root
        configfile ($root)/%s
        """.formatted(PATH);
  }
}
