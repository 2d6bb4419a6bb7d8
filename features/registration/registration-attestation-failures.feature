@sim
Feature: Attestation failures
  A TPM token names a machine but proves nothing until the credential challenge is answered
  with the secret only that TPM can unwrap: the attestation key must live in the TPM whose
  endorsement key is presented. Every failure leaves no inventory behind, and the endpoint
  goes on serving honest machines.

  Background:
    Given the MachineRegistration "fleet" authenticates machines by "tpm"

  Scenario Outline: A client presenting <attack> is refused
    When a client tries to register at "fleet" presenting <attack>
    Then the endpoint refuses it <how>
    And no MachineInventory exists in the namespace of "fleet"
    And a machine with a TPM still registers at "fleet"

    Examples:
      | attack                                                            | how                                     |
      | the endorsement key of one TPM and the attestation key of another | by closing the connection before Ready  |
      | a wrong secret as the answer to the challenge                     | by closing the connection before Ready  |
      | the answer to an earlier challenge, replayed                      | by closing the connection before Ready  |
      | a token that is not base64 JSON                                   | with HTTP 401                           |
