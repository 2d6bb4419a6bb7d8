@sim
Feature: A ManagedOSImage upgrades machines A/B, and an upgrade that does not boot is rolled back
  A ManagedOSImage names an OS image and selects machines by their inventory labels. The
  operator checks that the image exists, then adds an `elemental upgrade --system <image>
  --reboot` instruction to each selected machine's plan, `concurrency` machines at a time. On the
  machine, the upgrade writes the image as a new snapshot, makes it active and the old active
  passive, keeps at most maxSnaps (2) snapshots, arms boot assessment and reboots. A boot whose
  health checks (/usr/libexec/elemental-checker) fail reboots, and GRUB falls back to the passive
  snapshot: the machine keeps running the old system and the upgrade is reported failed.

  Reference behaviour: the real operator runs upgrades through Fleet and system-upgrade-controller
  on the downstream cluster; the reference operator writes them into the plan Secrets the
  machines' system agents already apply, and reports each machine in status.machines.

  Background:
    Given the OS images "v1" and "v2" are in the registry
    And the MachineRegistration "fleet" authenticates machines by "sys-uuid", labels them "fleet" = "edge" and installs to "/dev/vda"
    And the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it

  Rule: An upgrade makes the new image active and keeps the old one as passive

    Scenario: Upgrading from v1 to v2
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2"
      And the agent of "node-1" applies its plan
      Then "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And the state file of "node-1" records snapshot 2 as active, made by "upgrade"
      And the state file of "node-1" records snapshot 2 from the image "v2"
      And the state file of "node-1" records snapshot 1 as passive, made by "install"
      And the console of "node-1" shows "elemental: upgraded to"
      And the MachineInventory of "node-1" is annotated "elemental.cattle.io/os.version-id" = "v2"
      And the ManagedOSImage "to-v2" reports "node-1" Upgraded
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"

    Scenario: Two upgrades in a row keep two snapshots
      Given the OS image "v3" is in the registry
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2"
      And the agent of "node-1" applies its plan
      And the ManagedOSImage "to-v3" upgrades the machines labelled "fleet" = "edge" to "v3"
      And the agent of "node-1" applies its plan
      Then "node-1" runs snapshot 3 of "v3", booted from the "active" entry in active mode
      And the disk of "node-1" holds the snapshots "2 and 3"
      And the ManagedOSImage "to-v3" becomes Ready with reason "UpgradeComplete"

    Scenario: Upgrading to a ManagedOSVersion of a channel
      Given the ManagedOSVersion "v2.0.0" offers the OS image "v2"
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to the ManagedOSVersion "v2.0.0"
      And the agent of "node-1" applies its plan
      Then "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"

  Rule: concurrency bounds how many machines upgrade at once

    Scenario: Two machines upgraded one at a time
      Given the machine "node-2" booted the seed image of "fleet" built from "v1" and installed it
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2", one at a time
      Then the ManagedOSImage "to-v2" counts 1 machine Upgrading and 1 Pending
      When the agent of the machine "to-v2" is upgrading applies its plan
      Then the ManagedOSImage "to-v2" counts 1 machine Upgraded and 1 Upgrading
      When the agent of the machine "to-v2" is upgrading applies its plan
      Then the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"
      And "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And "node-2" runs snapshot 2 of "v2", booted from the "active" entry in active mode

  Rule: An upgrade whose boot fails its health checks falls back to the passive snapshot

    Scenario: A v3 that fails its health check is rolled back to v2 and reported failed
      Given the OS image "v3" whose health check fails is in the registry
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2"
      And the agent of "node-1" applies its plan
      And the ManagedOSImage "to-v3" upgrades the machines labelled "fleet" = "edge" to "v3"
      And the agent of "node-1" applies its plan
      Then the console of "node-1" shows "health check 90-simulated-failure failed (exit 1): this image is built to fail its health check"
      And "node-1" runs snapshot 2 of "v2", booted from the "passive2" entry in passive mode
      And the ManagedOSImage "to-v3" reports "node-1" Failed with "was rolled back"
      And the ManagedOSImage "to-v3" becomes not Ready with reason "UpgradeFailed"
      When "node-1" reboots
      Then "node-1" runs snapshot 2 of "v2", booted from the "passive2" entry in passive mode

  Rule: A bad image leaves the machines untouched

    Scenario: An image the registry does not have
      When the ManagedOSImage "bad" upgrades the machines labelled "fleet" = "edge" to an image the registry does not have
      Then the ManagedOSImage "bad" becomes not Ready with reason "ImageNotFound", naming "v9"
      And the plan of "node-1" has no upgrade
      And "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode

    Scenario: A registry that is down
      When the ManagedOSImage "bad" upgrades the machines labelled "fleet" = "edge" to an image on a registry that is down
      Then the ManagedOSImage "bad" becomes not Ready with reason "ImageUnavailable"
      And the plan of "node-1" has no upgrade

    Scenario: An image that is not an OS
      When the ManagedOSImage "bad" upgrades the machines labelled "fleet" = "edge" to an image that is not an OS
      And the agent of "node-1" applies its plan
      Then the ManagedOSImage "bad" reports "node-1" Failed with "is not an Elemental OS image: it has no /etc/os-release"
      And "node-1" runs snapshot 1 of "v1", booted from the "active" entry in active mode
      And the disk of "node-1" holds the snapshots "1"

  Rule: Pulling the plug in the middle of an upgrade never leaves a machine that cannot boot

    Scenario Outline: The plug is pulled at "<moment>"
      When the ManagedOSImage "to-v2" upgrades the machines labelled "fleet" = "edge" to "v2"
      And the plug of "node-1" is pulled when its upgrade reaches "<moment>"
      And the agent of "node-1" applies its plan
      And "node-1" is powered on
      Then "node-1" runs snapshot <snapshot> of "<version>", booted from the "active" entry in active mode
      When the agent of "node-1" applies its plan
      Then "node-1" runs snapshot 2 of "v2", booted from the "active" entry in active mode
      And the ManagedOSImage "to-v2" becomes Ready with reason "UpgradeComplete"

      Examples:
        | moment            | snapshot | version |
        | image unfinished  | 1        | v1      |
        | image written     | 1        | v1      |
        | snapshot recorded | 1        | v1      |
        | active switched   | 2        | v2      |
        | grubenv written   | 2        | v2      |
        | passives pruned   | 2        | v2      |
        | state written     | 2        | v2      |
