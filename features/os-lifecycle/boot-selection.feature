@sim
Feature: GRUB boots the active snapshot, or the entry it is told to boot once
  GRUB's menu has an entry per snapshot, active first, then each passive one newest first, then
  recovery. It boots `next_entry` from the grubenv on COS_OEM once (and clears it), else
  `saved_entry`, else active. The kernel command line carries elemental.mode, and the booted
  system marks its mode in /run/elemental/<mode>_mode. An entry whose image is missing falls
  through to the next of that chain.

  Background:
    Given the OS images "v1" and "v2" are in the registry
    And the MachineRegistration "fleet" authenticates machines by "sys-uuid", labels them "fleet" = "edge" and installs to "/dev/vda"
    And the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
    And the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2"
    And the agent of "node-1" applies its plan

  Rule: next_entry boots an entry once, then the default again

    Scenario: Booting the passive snapshot on purpose
      When "node-1" is told to boot the "passive1" entry next
      And "node-1" reboots
      Then "node-1" runs snapshot 1 of "v1", booted from the "passive1" entry in passive mode
      And the GRUB environment of "node-1" no longer names a next entry
      When "node-1" reboots
      Then "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode

    Scenario: Booting recovery on purpose
      When "node-1" is told to boot the "recovery" entry next
      And "node-1" reboots
      Then the console of "node-1" shows "GRUB: booting recovery (root=LABEL=COS_RECOVERY elemental.image=recovery elemental.mode=recovery"
      When "node-1" reboots
      Then "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
