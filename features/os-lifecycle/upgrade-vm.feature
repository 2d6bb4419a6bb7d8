@vm
Feature: A ManagedOSImage upgrades an installed virtual machine, and an upgrade that does not boot is rolled back
  The operator adds the upgrade to the machine's plan; the machine's own system agent runs
  `elemental upgrade --system <image> --reboot`: the image is pulled from the registry, unpacked
  and written as snapshot 2, which becomes active, and the machine reboots into it. After the
  reboot the agent applies the plan again, finds the image running, and reports the plan
  applied; the ManagedOSImage reports the machine upgraded. An image whose health check fails
  boots, fails its boot assessment and reboots; GRUB then boots the passive snapshot, and the
  agent reports the upgrade rolled back. This is the whole journey of a machine, in one VM.

  Reference behaviour: VMs reach the host's registry at the guests' address of the host, over
  plain HTTP (ELEMENTAL_INSECURE_REGISTRIES in the upgrade's environment); the operator, on the
  host, checks the same image on loopback. To pull the plug at an exact moment of an upgrade, the
  reference toolkit has a fault-injection hold: with ELEMENTAL_REFERENCE_HOLD_AT=<checkpoint> in
  the upgrade's environment, the upgrade records the hold on COS_OEM, says so on the console and
  waits there, once. An implementation without it cannot run that scenario.

  Background:
    Given machines reach the operator at its address on the virtual machines' network
    And the MachineRegistration "fleet" authenticates machines by "tpm", labels them "stage" = "installed" and installs to "/dev/vda"
    And the SeedImage "fleet-iso" of "fleet" is built from the reference OS image

  Rule: An upgrade is a new active snapshot; one that does not boot healthy falls back to the passive

    Scenario: A virtual machine installs, upgrades from v1 to v2, and rolls back a v3 that fails its health check
      When the virtual machine "vm-1" made by "Harness Labs" with a TPM and a blank 16 GiB disk boots the seed image "fleet-iso"
      Then the console of "vm-1" shows that it registered
      And the console of "vm-1" shows that it installed to "/dev/vda"
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as the same machine
      When the ManagedOSImage "to-v2" upgrades the machines labelled "stage" = "installed" to the reference OS image "v2"
      Then "vm-1" upgrades and reboots into the "active" snapshot
      And "vm-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And the state file of "vm-1" records snapshot 2 as active, made by "upgrade"
      And the system agent of "vm-1" reports its plan applied
      And the ManagedOSImage "to-v2" reports "vm-1" Upgraded
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"
      When the ManagedOSImage "to-v3" upgrades the machines labelled "stage" = "installed" to the reference OS image "v3" built to fail its health check
      Then "vm-1" upgrades and reboots into the "active" snapshot
      And "vm-1" fails its boot assessment and reboots into the "passive" snapshot
      And "vm-1" runs snapshot 2 of "v2", booted from the "passive2" entry in passive mode
      And the disk of "vm-1" holds the snapshots "2 and 3"
      And the system agent of "vm-1" reports its plan failed
      And the ManagedOSImage "to-v3" reports "vm-1" Failed with "was rolled back"

  Rule: Pulling the plug in the middle of an upgrade never leaves a machine that cannot boot

    The upgrade's commit is the rename of the active link; it and everything before it are on the
    disk (fsync) before the upgrade goes on. The @sim feature cuts at every checkpoint; a VM is cut
    at the commit, where a rename still in the page cache would lose the upgrade.

    Scenario: The plug of a virtual machine is pulled right after its upgrade switched the active snapshot, and its passive still boots
      When the virtual machine "vm-1" made by "Harness Labs" with a TPM and a blank 16 GiB disk boots the seed image "fleet-iso"
      Then the console of "vm-1" shows that it registered
      And the console of "vm-1" shows that it installed to "/dev/vda"
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as the same machine
      When the ManagedOSImage "to-v2" upgrades the machines labelled "stage" = "installed" to the reference OS image "v2", holding each upgrade at "active switched"
      And the plug of "vm-1" is pulled when its upgrade reaches "active switched"
      And "vm-1" is powered on
      Then "vm-1" boots from its disk into the "active" snapshot
      And "vm-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And the system agent of "vm-1" reports its plan applied
      And the state file of "vm-1" records snapshot 2 as active, made by "upgrade"
      And the disk of "vm-1" holds the snapshots "1 and 2"
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"
      # The passive snapshot the cut upgrade left still boots, on purpose, once.
      When "vm-1" is told to boot the "passive1" entry next
      And "vm-1" reboots
      Then "vm-1" runs snapshot 1 of "v1", booted from the "passive1" entry in passive mode
      And the GRUB environment of "vm-1" no longer names a next entry
