@sim
Feature: Registration by machine id
  A machine registers at its MachineRegistration's URL, from the configuration its seed image
  carries. Machines without a TPM name themselves by their SMBIOS UUID (auth: sys-uuid) or by
  the lowest MAC address of their physical network interfaces (auth: mac); the operator keeps
  one MachineInventory per identity (the SHA-256 of that id), names and labels it from what the
  machine reports about itself, gives it an empty plan Secret, and answers with the machine's
  configuration: how to install, and how its agent reaches that plan.

  Rule: A machine that registers gets one inventory, a plan and its configuration

    Scenario Outline: A machine registers by <auth>
      Given the MachineRegistration "fleet" authenticates machines by "<auth>"
      When the machine "node-1" with SMBIOS UUID "<uuid>" and MAC "<mac>" boots the seed image of "fleet"
      Then "node-1" is registered, with a MachineInventory whose machine hash is the SHA-256 of "<id>"
      And the MachineInventory of "node-1" is annotated "elemental.cattle.io/auth" = "<auth>"
      And the MachineInventory of "node-1" has an empty plan Secret
      And the configuration "node-1" received names its plan Secret and the registration's token for its agent

      Examples:
        | auth     | uuid                                 | mac               | id                                   |
        | sys-uuid | 6b8f0c5e-3a1d-4f7e-9c2b-0d1e2f3a4b5c | 52:54:00:aa:00:01 | 6b8f0c5e-3a1d-4f7e-9c2b-0d1e2f3a4b5c |
        | mac      | 6b8f0c5e-3a1d-4f7e-9c2b-0d1e2f3a4b5d | 52:54:00:aa:00:02 | 52:54:00:aa:00:02                    |

  Rule: Inventory names and labels come from templates over the machine's own data
    Templates read the machine's SMBIOS and system data as a tree (${System Information/Manufacturer}),
    or draw random values (${Random/Hex/6}). A name that cannot be rendered falls back to m-<uuid>;
    a label that cannot be rendered is left out.

    Scenario Outline: <template> renders as <name>
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid", names them "<template>" and labels them "hw" = "<label template>"
      When the machine "node-1" with serial number "<serial>" boots the seed image of "fleet"
      Then the MachineInventory of "node-1" is named like "<name>"
      And the MachineInventory of "node-1" has the label "hw" <label>

      Examples:
        | template                                                | serial         | name                    | label template                        | label             |
        | ${System Information/Manufacturer}-${Runtime/Hostname}  | SN-1           | qemu-node-1             | ${System Information/Serial Number}   | = "SN-1"          |
        | node-${System Information/Serial Number}                | AB 12/cd       | node-ab-12-cd           | ${System Information/Serial Number}   | = "AB-12-cd"      |
        | ${System Information/Nope}                              | SN-2           | m-[0-9a-f-]{36}         | ${System Information/Nope}            | absent            |
        | rnd-${Random/Hex/6}                                     | SN-3           | rnd-[0-9a-f]{6}         | ${BIOS Information/Vendor}            | = "EDK-II"        |

  Rule: A machine keeps its inventory across registrations

    Scenario: A machine that registers again updates the same inventory
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      And the machine "node-1" with SMBIOS UUID "0f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b" and MAC "52:54:00:aa:00:03" boots the seed image of "fleet"
      When "node-1" registers again
      Then "node-1" still has one and the same MachineInventory

    Scenario: A machine that registers again gets its labels rendered again, random ones kept
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid" and labels them:
        | label | template                         |
        | rack  | ${System Information/SKU Number} |
        | tag   | ${Random/Hex/8}                  |
      And the machine "node-1" with SKU number "rack-1" boots the seed image of "fleet"
      When the SKU number of "node-1" becomes "rack-2" and it registers again
      Then the MachineInventory of "node-1" has the label "rack" = "rack-2"
      And the label "tag" of the MachineInventory of "node-1" is the one it got first

    Scenario: A machine whose inventory was deleted is told so
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      And the machine "node-1" with SMBIOS UUID "1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b" and MAC "52:54:00:aa:00:04" boots the seed image of "fleet"
      When the MachineInventory of "node-1" is deleted
      And "node-1" registers again
      Then "node-1" fails to register with "MachineInventory not found"

  Rule: Many machines may register at once, and one identity is one inventory

    Scenario: 50 machines register at the same time
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      When 50 machines boot the seed image of "fleet" at the same time
      Then all 50 machines are registered, each with a MachineInventory of its own

    Scenario: Two machines racing with one identity share one inventory
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      When 2 machines with the same SMBIOS UUID "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d" boot the seed image of "fleet" at the same time
      Then all 2 machines are registered, sharing one MachineInventory

  Rule: The endpoint refuses what it cannot trust

    Scenario: An unknown registration token is not found
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      When a machine registers at the URL of "fleet" with the token replaced by "no-such-token"
      Then it fails to register with "HTTP 404"
      And no MachineInventory exists in the namespace of "fleet"

    Scenario: A machine without a usable UUID is refused
      Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
      When the machine "node-1" with SMBIOS UUID "Not Settable" and MAC "52:54:00:aa:00:05" boots the seed image of "fleet"
      Then "node-1" fails to register with "HTTP 401"
      And no MachineInventory exists in the namespace of "fleet"
