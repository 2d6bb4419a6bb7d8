@sim
Feature: Deleting a resettable machine's inventory resets the machine, which registers as new
  A MachineRegistration with config.elemental.reset.enabled marks its inventories resettable.
  Deleting such a MachineInventory does not let it go at once: the operator puts a reset plan in
  its plan Secret (a cloud-config for the recovery system, GRUB told to boot recovery next, a
  reboot a minute later) and releases the inventory's finalizer once the agent reports that plan
  applied. The machine boots recovery, resets (COS_PERSISTENT and COS_OEM emptied, the recovery
  image made the new active snapshot), registers as a new machine and boots it.

  Reference behaviour in @sim: the plan's grub2-editenv and shutdown act on the simulated
  machine, and the reboot the plan schedules happens when the scenario says so.

  Background:
    Given the OS image "v1" is in the registry
    And the MachineRegistration "fleet" authenticates machines by "sys-uuid", labels them "fleet" = "edge", installs to "/dev/vda" and resets machines whose inventory is deleted
    And the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it

  Rule: The inventory goes once the machine has its reset plan; the machine comes back as new

    Scenario: Reset from recovery and registration as a new MachineInventory
      Given the MachineInventory of "node-1" is annotated "elemental.cattle.io/resettable" = "true"
      And "node-1" writes "mine" to "/root/notes.txt"
      When the MachineInventory of "node-1" is deleted while the machine runs
      And the agent of "node-1" applies its plan
      Then the console of "node-1" shows "Reboot scheduled (-r +1)"
      And the deleted MachineInventory of "node-1" is gone
      When "node-1" reboots
      Then the console of "node-1" shows "GRUB: booting recovery"
      And the console of "node-1" shows "elemental-register: reset from recovery"
      And "node-1" registered again as a new MachineInventory
      And "node-1" runs snapshot 2 of "v1", booted from the "active" entry in active mode
      And the state file of "node-1" records snapshot 2 as active, made by "reset"
      And "node-1" has no file "/root/notes.txt"
      And "node-1" has the file "/oem/registration/config.yaml" containing the registration URL of "fleet"
