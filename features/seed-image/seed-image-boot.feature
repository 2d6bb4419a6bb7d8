@vm
Feature: Booting the seed image of a MachineRegistration
  A SeedImage turns an Elemental OS image (built from a Dockerfile and pushed to a registry) into
  a bootable live ISO that carries its MachineRegistration's registration config. The operator
  builds it, serves it at the SeedImage's download URL with a checksum, and a machine booting it
  registers on its own: real QEMU virtual machines with UEFI firmware, their own SMBIOS identity
  and, where they have one, a TPM 2.0 chip (swtpm) whose endorsement key identifies them.

  Reference behaviour: the operator builds the ISO in its own process from the OS image's root
  (squashfs + GRUB), where the real operator runs a builder Pod over a prebuilt base ISO.

  Background:
    Given machines reach the operator at its address on the virtual machines' network
    And the MachineRegistration "fleet" authenticates machines by "tpm" and labels them:
      | label        | template                            |
      | manufacturer | ${System Information/Manufacturer}  |
      | product      | ${System Information/Product Name}  |
      | serial       | ${System Information/Serial Number} |
    And the SeedImage "fleet-iso" of "fleet" is built from the reference OS image

  Rule: The seed image is served with its checksum

    Scenario: The SeedImage becomes ready with a download URL and a checksum URL
      Then the SeedImage "fleet-iso" is ready to download
      And the ISO downloaded from "fleet-iso" matches its published checksum
      And the ISO of "fleet-iso" carries the registration config of "fleet"

    Scenario: A SeedImage of an image the registry does not have fails, naming it
      When a SeedImage "broken-iso" of "fleet" is created from "elemental/no-such-os:v9", an image its registry does not have
      Then the SeedImage "broken-iso" fails with reason "SeedImageBuildFailure", naming "no-such-os"

  Rule: A machine that boots the seed image registers itself

    Scenario: A virtual machine with a TPM attests and gets an inventory labelled from its SMBIOS
      When the virtual machine "vm-1" made by "Harness Labs" with a TPM boots the seed image "fleet-iso"
      Then the console of "vm-1" shows that it registered
      And "vm-1" runs the live system of the seed image, with its TPM at /dev/tpmrm0
      And "vm-1" has a MachineInventory whose TPM hash is the SHA-256 of its endorsement key
      And the MachineInventory of "vm-1" is labelled from its SMBIOS
      And the MachineInventory of "vm-1" is annotated "elemental.cattle.io/auth" = "tpm"

    Scenario: A virtual machine without a TPM registers with an emulated one where the registration allows it
      Given the MachineRegistration "emulated" authenticates machines by an emulated TPM seeded -1
      And the SeedImage "emulated-iso" of "emulated" is built from the reference OS image
      When the virtual machine "vm-1" made by "Harness Labs" without a TPM boots the seed image "emulated-iso"
      Then the console of "vm-1" shows that it registered
      And the MachineInventory of "vm-1" is annotated "elemental.cattle.io/auth" = "emulated-tpm"

    Scenario: A virtual machine without a TPM fails with a clear error and leaves no inventory
      When the virtual machine "vm-1" made by "Harness Labs" without a TPM boots the seed image "fleet-iso"
      Then the console of "vm-1" shows the error "no TPM"
      And no MachineInventory exists in the namespace of "fleet"
