@vm
Feature: Deleting a resettable virtual machine's inventory resets it from recovery, and it registers as new
  A MachineRegistration with config.elemental.reset.enabled marks its inventories resettable.
  Deleting such a MachineInventory does not let it go at once: the operator puts a reset plan in
  its plan Secret (a cloud-config for the recovery system on /oem, GRUB told to boot recovery next,
  a reboot a minute later), and the machine's own system agent applies it; once the agent reports
  it applied, the inventory goes. The machine reboots into recovery, which resets it
  (COS_PERSISTENT and COS_OEM emptied, the recovery image made the new active snapshot) and reboots
  into the reset system; that one registers as a new machine, with the registration kept on
  COS_OEM. What its users left on the persistent paths is gone.

  Reference behaviour: the reference OS has no cloud-config runner; in recovery mode its
  elemental-register-reset unit runs `elemental-register --reset` while the reset plan's
  cloud-config is on /oem, which is what that cloud-config asks for.

  Background:
    Given machines reach the operator at its address on the virtual machines' network
    And the MachineRegistration "fleet" authenticates machines by "tpm", labels them "stage" = "installed", installs to "/dev/vda" and resets machines whose inventory is deleted
    And the SeedImage "fleet-iso" of "fleet" is built from the reference OS image

  Rule: The inventory goes once the machine has its reset plan; the machine resets from recovery and comes back as new

    Scenario: A virtual machine resets from recovery and registers as a new MachineInventory
      Given the virtual machine "vm-1" made by "Harness Labs" with a TPM and a blank 16 GiB disk boots the seed image "fleet-iso"
      And the console of "vm-1" shows that it registered
      And the console of "vm-1" shows that it installed to "/dev/vda"
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as the same machine
      And the MachineInventory of "vm-1" is annotated "elemental.cattle.io/resettable" = "true"
      And "vm-1" writes "mine" to "/root/notes.txt"
      When the MachineInventory of "vm-1" is deleted while the machine runs
      Then the system agent of "vm-1" applies the reset plan: the reset cloud-config on /oem, GRUB's next entry "recovery" and a reboot in a minute
      And the deleted MachineInventory of "vm-1" is gone
      And "vm-1" reboots from its disk into the "recovery" snapshot
      And the console of "vm-1" shows that it reset from recovery
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as a new MachineInventory
      And "vm-1" runs snapshot 2 of "v1", booted from the "active" entry in active mode
      And the state file of "vm-1" records snapshot 2 as active, made by "reset"
      And "vm-1" has no file "/root/notes.txt"
      And "vm-1" has the file "/oem/registration/config.yaml" containing the registration URL of "fleet"
      And "vm-1" has no file "/oem/reset-cloud-config.yaml"
