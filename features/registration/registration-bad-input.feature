@sim
Feature: The registration endpoint under bad input
  The endpoint faces machines it cannot trust to be well-behaved. Whatever a client sends, it
  gets a clear Error message (once it has said which protocol version it speaks) or a closed
  connection, nothing is written to the cluster, and the endpoint keeps serving everyone else.

  Reference behaviour: the real operator closes the connection without an Error message on
  malformed input; the reference sends one first, which the real client shows as the reason.

  Background:
    Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"

  Scenario Outline: <exchange> is refused
    When a client with SMBIOS UUID "9e8d7c6b-5a49-4838-a7b6-c5d4e3f2a1b0" sends <exchange> to "fleet"
    Then the endpoint answers <answer>
    And no MachineInventory exists in the namespace of "fleet"
    And a well-behaved machine still registers at "fleet"

    Examples:
      | exchange                                        | answer                                                  |
      | a message of unknown type 13 after the version  | with an Error containing "unknown message type 13"      |
      | an Smbios message that is not JSON              | with an Error containing "invalid JSON in SMBIOS"       |
      | Labels that are not a map of strings            | with an Error containing "invalid JSON in LABELS"       |
      | a Config message, which only the operator sends | with an Error containing "unexpected CONFIG message"    |
      | an empty message after the version              | with an Error containing "empty message"                |
      | a Get before the version                        | by closing the connection                               |
      | the deprecated protocol version 4               | by closing the connection                               |
      | a version message of two bytes                  | by closing the connection                               |
      | nothing after the version                       | with an Error containing "went silent"                  |
