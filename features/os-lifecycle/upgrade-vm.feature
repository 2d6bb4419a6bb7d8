@vm
Feature: A ManagedOSImage upgrades an installed virtual machine, which boots the new snapshot
  The operator adds the upgrade to the machine's plan; the machine's own system agent runs
  `elemental upgrade --system <image> --reboot`: the image is pulled from the registry, unpacked
  and written as snapshot 2, which becomes active, and the machine reboots into it. After the
  reboot the agent applies the plan again, finds the image running, and reports the plan
  applied; the ManagedOSImage reports the machine upgraded.

  Reference behaviour: VMs reach the host's registry at the guests' address of the host, over
  plain HTTP (ELEMENTAL_INSECURE_REGISTRIES in the upgrade's environment); the operator, on the
  host, checks the same image on loopback.

  Background:
    Given machines reach the operator at its address on the virtual machines' network
    And the MachineRegistration "fleet" authenticates machines by "tpm", labels them "stage" = "installed" and installs to "/dev/vda"
    And the SeedImage "fleet-iso" of "fleet" is built from the reference OS image

  Rule: An upgrade is a new active snapshot, booted after a reboot

    Scenario: A virtual machine upgrades from v1 to v2
      When the virtual machine "vm-1" made by "Harness Labs" with a TPM and a blank 16 GiB disk boots the seed image "fleet-iso"
      Then the console of "vm-1" shows that it registered
      And the console of "vm-1" shows that it installed to "/dev/vda"
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as the same machine
      When the ManagedOSImage "to-v2" upgrades the machines labelled "stage" = "installed" to the reference OS image "v2"
      Then "vm-1" upgrades and reboots into the "active" snapshot
      And "vm-1" runs version "v2" of the OS
      And the system agent of "vm-1" reports its plan applied
      And the ManagedOSImage "to-v2" reports "vm-1" Upgraded
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"
