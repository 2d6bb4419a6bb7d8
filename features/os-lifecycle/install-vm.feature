@vm
Feature: Installing from the seed image and booting the installed, immutable system
  A machine that boots the seed image of a MachineRegistration asking for an install
  (config.elemental.install.device) registers, then installs the live OS to that disk and
  reboots: a GPT with Elemental's partitions (COS_GRUB, COS_OEM, COS_RECOVERY, COS_STATE,
  COS_PERSISTENT), the OS as snapshot 1 (the active one), a recovery image, GRUB and its
  environment. GRUB boots the active snapshot; the initramfs mounts it read-only as the root,
  with throw-away overlays where the OS writes and the persistent paths on COS_PERSISTENT. The
  installed system registers again, with the registration it carried over on COS_OEM, as the
  same machine, and its system agent applies the machine's plan, reaching its plan Secret through
  Rancher's /k8s/clusters/local with the token of its registration answer.

  Reference behaviour: the live system's register client installs and reboots itself, where the
  real ISO runs a separate elemental-register-install unit; both read the same install config.

  Background:
    Given machines reach the operator at its address on the virtual machines' network
    And the MachineRegistration "fleet" authenticates machines by "tpm", labels them "stage" = "installed" and installs to "/dev/vda"
    And the SeedImage "fleet-iso" of "fleet" is built from the reference OS image

  Rule: A machine installs itself and boots the installed system from its disk

    Scenario: A virtual machine installs to its disk, boots the active snapshot read-only and registers again as itself
      When the virtual machine "vm-1" made by "Harness Labs" with a TPM and a blank 16 GiB disk boots the seed image "fleet-iso"
      Then the console of "vm-1" shows that it registered
      And the console of "vm-1" shows that it installed to "/dev/vda"
      And "vm-1" reboots from its disk into the "active" snapshot
      And the console of "vm-1" shows that it registered again as the same machine
      And the disk "/dev/vda" of "vm-1" has the partitions "COS_GRUB, COS_OEM, COS_RECOVERY, COS_STATE, COS_PERSISTENT"
      And "vm-1" runs its "active" snapshot read-only from a loop device, with overlays on /etc, /var and /srv
      And "vm-1" keeps "/root" across reboots on COS_PERSISTENT and its GRUB environment in /oem/grubenv
      And "vm-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And the state file of "vm-1" records snapshot 1 as active, made by "install"
      And the boot assessment of "vm-1" finds its "active" boot healthy and ends the trial
      When the plan of "vm-1" writes "/etc/motd" containing "managed by elemental" and runs "cat /etc/motd" as "greet"
      Then the system agent of "vm-1" applies the plan, recording the output of "greet" = "managed by elemental"
      And "vm-1" has the file "/etc/motd" containing "managed by elemental"
