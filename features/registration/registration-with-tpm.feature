@sim
Feature: Registration with a TPM
  With auth: tpm (the default) a machine proves who it is with its TPM 2.0: it sends its
  endorsement key (EK, with the manufacturer's certificate when it has one) and a fresh
  attestation key (AK); the operator answers with a credential only that TPM can open, and the
  machine must send back the secret inside. The inventory is keyed by the SHA-256 of the EK.
  Every machine here has its own swtpm; emulated TPMs stand in for machines without one.

  Rule: A machine with a TPM is known by its endorsement key

    Scenario: A machine attests with its TPM and gets an inventory
      Given the MachineRegistration "fleet" authenticates machines by "tpm"
      When the machine "node-1" with a TPM boots the seed image of "fleet"
      Then "node-1" is registered, with a MachineInventory whose TPM hash is the SHA-256 of its endorsement key
      And the MachineInventory of "node-1" is annotated "elemental.cattle.io/auth" = "tpm"
      And the MachineInventory of "node-1" has an empty plan Secret

    Scenario: The same TPM is recognised when it registers again
      Given the MachineRegistration "fleet" authenticates machines by "tpm"
      And the machine "node-1" with a TPM boots the seed image of "fleet"
      When "node-1" registers again
      Then "node-1" still has one and the same MachineInventory

    Scenario: A machine without a TPM cannot register with auth: tpm
      Given the MachineRegistration "fleet" authenticates machines by "tpm"
      When the machine "node-1" without a TPM boots the seed image of "fleet"
      Then "node-1" fails to register with "has no TPM"
      And no MachineInventory exists in the namespace of "fleet"

  Rule: Emulated TPMs: the seed is the identity
    A fixed seed gives every machine the same endorsement key, so they are one machine to the
    operator; seed -1 derives a seed per machine from its SMBIOS UUID.

    Scenario: A machine with an emulated TPM registers as such
      Given the MachineRegistration "fleet" authenticates machines by an emulated TPM seeded 7
      When the machine "node-1" without a TPM boots the seed image of "fleet"
      Then "node-1" is registered, with a MachineInventory whose TPM hash is the SHA-256 of its endorsement key
      And the MachineInventory of "node-1" is annotated "elemental.cattle.io/auth" = "emulated-tpm"

    Scenario Outline: Two machines with emulated TPMs seeded <seed> are <outcome>
      Given the MachineRegistration "fleet" authenticates machines by an emulated TPM seeded <seed>
      When 2 machines boot the seed image of "fleet" at the same time
      Then all 2 machines are registered, <outcome>

      Examples:
        | seed | outcome                                 |
        | 7    | sharing one MachineInventory            |
        | -1   | each with a MachineInventory of its own |

  Rule: Where the namespace holds a tpm-ca Secret, EK certificates must chain to it
    Reference behaviour: the certificate chain is checked as the TCG EK profile wants it. The
    real operator uses Go's default x509 checks, which refuse TCG EK certificates (a critical
    directoryName subjectAltName, no serverAuth usage); see docs/notes.

    Scenario: An EK certificate from the trusted manufacturer is accepted
      Given the MachineRegistration "fleet" authenticates machines by "tpm"
      And the namespace of "fleet" trusts the TPM manufacturer's CA
      When the machine "node-1" with a TPM boots the seed image of "fleet"
      Then "node-1" is registered, with a MachineInventory whose TPM hash is the SHA-256 of its endorsement key

    Scenario: An EK certificate from another manufacturer is refused
      Given the MachineRegistration "fleet" authenticates machines by "tpm"
      And the namespace of "fleet" trusts only another TPM manufacturer's CA
      When the machine "node-1" with a TPM boots the seed image of "fleet"
      Then "node-1" fails to register with "HTTP 401"
      And no MachineInventory exists in the namespace of "fleet"
