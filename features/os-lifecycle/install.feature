@sim
Feature: A registered machine installs Elemental to its disk and boots it
  When the registration answer asks for an install (install.device), the machine installs the OS
  it booted live from the seed image: GPT partitions with Elemental's labels, the OS as snapshot 1
  on COS_STATE (an ext2 image labelled EL_SNAP1), a squashfs recovery image on COS_RECOVERY, GRUB
  on COS_GRUB with its environment on COS_OEM, and state.yaml. It reboots into the active
  snapshot and registers again, as the same MachineInventory, now reporting the installed OS.
  The root it boots is the snapshot, read-only; /etc, /var and /srv are overlays that start
  afresh at every boot; /oem and the persistent paths (/root, /home, /opt, /var/log, ...) live
  on their partitions.

  Reference behaviour in @sim: the partition table is real (sfdisk on a sparse image of the
  disk), the file systems are directories, and a boot extracts the snapshot image into a fresh
  root with /oem and the persistent paths linked to their partitions. The VM tier boots the same
  layout through real GRUB and an initramfs.

  Background:
    Given the OS image "v1" is in the registry
    And the MachineRegistration "fleet" authenticates machines by "sys-uuid", labels them "fleet" = "edge" and installs to "/dev/vda"

  Rule: Install lays the disk out as Elemental does and boots the active snapshot

    Scenario: The machine installs, reboots into the active system and registers again
      When the machine "node-1" boots the seed image of "fleet" built from "v1"
      Then the console of "node-1" shows "elemental-register: installed to /dev/vda"
      And the disk of "node-1" has the GPT partitions:
        | name       | label          |
        | efi        | COS_GRUB       |
        | oem        | COS_OEM        |
        | recovery   | COS_RECOVERY   |
        | state      | COS_STATE      |
        | persistent | COS_PERSISTENT |
      And "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And the state file of "node-1" records snapshot 1 as active, made by "install"
      And "node-1" registered live, then again from its disk as the same MachineInventory
      And the MachineInventory of "node-1" is annotated "elemental.cattle.io/os.version-id" = "v1"

    Scenario: /oem and the persistent paths outlive a reboot; the overlays do not
      Given the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
      When "node-1" writes "kept" to "/root/notes.txt"
      And "node-1" writes "kept" to "/oem/notes.txt"
      And "node-1" writes "gone" to "/etc/notes.txt"
      And "node-1" reboots
      Then "node-1" has the file "/root/notes.txt" containing "kept"
      And "node-1" has the file "/oem/notes.txt" containing "kept"
      And "node-1" has no file "/etc/notes.txt"
      And "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode

  Rule: A disk the layout does not fit is refused before anything is written

    Scenario: A 4 GiB disk is too small for Elemental's default layout
      When the machine "small" with a 4 GiB disk boots the seed image of "fleet" built from "v1"
      Then the console of "small" shows "elemental-register: ERROR: install failed: disk /dev/vda has 4096 MiB, but the layout needs 12482 MiB"
      And the disk of "small" has no partition table
      And "small" runs the live system of the seed image
