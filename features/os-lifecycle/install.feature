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
  layout through real GRUB and an initramfs. The reference OS does not run cloud-config stages:
  the registration's cloud-config is written where the real client writes it, and no further.
  Where several disks match a device selector, the real client takes whichever Go's map
  iteration yields; the reference takes the first by name, so a machine always picks the same.

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

  Rule: The install goes to install.device or, without it, to the first disk install.device-selector matches

    Scenario Outline: The device selector "<selector>" picks <disk>
      Given the MachineRegistration "picky" authenticates machines by "sys-uuid", labels them "fleet" = "edge" and installs to the disk selected by "<selector>"
      When the machine "node-1" with the disks "/dev/vda of 16 GiB, /dev/vdb of 64 GiB and /dev/vdc of 32 GiB" boots the seed image of "picky" built from "v1"
      Then the console of "node-1" shows "elemental-register: installed to <disk>"
      And "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And the disks "<untouched>" of "node-1" have no partition table

      Examples:
        | selector                     | disk     | untouched          |
        | Size Gt 20Gi                 | /dev/vdb | /dev/vda, /dev/vdc |
        | Size Gt 20Gi; Size Lt 40Gi   | /dev/vdc | /dev/vda, /dev/vdb |
        | Name NotIn vdb,/dev/vdc      | /dev/vda | /dev/vdb, /dev/vdc |

    Scenario: A device selector no disk matches leaves the machine live, naming the disks it has
      Given the MachineRegistration "picky" authenticates machines by "sys-uuid", labels them "fleet" = "edge" and installs to the disk selected by "Size Gt 1Ti"
      When the machine "node-1" with the disks "/dev/vda of 8 GiB and /dev/vdb of 64 GiB" boots the seed image of "picky" built from "v1"
      Then the console of "node-1" shows "elemental-register: ERROR: install failed: no disk matches install.device-selector [Size Gt 1Ti]; this machine has /dev/vda (8192 MiB), /dev/vdb (65536 MiB)"
      And the disks "/dev/vda and /dev/vdb" of "node-1" have no partition table
      And "node-1" runs the live system of the seed image

  Rule: After the install the machine reboots or powers off, as the registration says; its cloud-config goes to COS_OEM

    Scenario: A registration that says poweroff leaves the installed machine off until it is powered on
      Given the MachineRegistration "shelf" authenticates machines by "sys-uuid", labels them "fleet" = "edge", installs to "/dev/vda" and powers off
      When the machine "node-1" boots the seed image of "shelf" built from "v1"
      Then the console of "node-1" shows "elemental-register: installed to /dev/vda"
      And the console of "node-1" shows "elemental-register: powering off"
      And "node-1" is powered off
      When "node-1" is powered on
      Then "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And "node-1" registered live, then again from its disk as the same MachineInventory

    Scenario: The registration's cloud-config is written to COS_OEM as elemental-cloud-init.yaml
      Given the MachineRegistration "configured" authenticates machines by "sys-uuid", labels them "fleet" = "edge", installs to "/dev/vda" and carries the cloud-config:
        """
        users:
        - name: operator
          passwd: edge
        runcmd:
        - echo configured by the registration
        """
      When the machine "node-1" boots the seed image of "configured" built from "v1"
      Then "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And "node-1" has the cloud-config of the MachineRegistration "configured" in "/oem/elemental-cloud-init.yaml"

  Rule: A disk the layout does not fit is refused before anything is written

    Scenario: A 4 GiB disk is too small for Elemental's default layout
      When the machine "small" with a 4 GiB disk boots the seed image of "fleet" built from "v1"
      Then the console of "small" shows "elemental-register: ERROR: install failed: disk /dev/vda has 4096 MiB, but the layout needs 12482 MiB"
      And the disk of "small" has no partition table
      And "small" runs the live system of the seed image
