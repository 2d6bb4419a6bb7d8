@sim
Feature: The system agent applies its machine's plan
  After registration, a machine's system agent reads its plan Secret (named after its
  MachineInventory) with the token its registration answer carried, applies the plan (files
  first, then instructions in order, stopping at the first failure) and writes back the SHA-256
  of the plan it applied with the instructions' output, or of the plan that failed with its
  output and a failure count. A failed plan is retried only after a 30 s cool-down. The operator
  reports the outcome on the MachineInventory's Ready condition.

  The agent reaches the API server as a real one does: through Rancher's /k8s/clusters/local at
  the URL of its registration answer, with the registration's token (its Role is what allows
  it). Each "runs" is one pass of the agent's loop, which the real agent makes every 5 s.

  Background:
    Given the MachineRegistration "fleet" authenticates machines by "sys-uuid"
    And the machine "node-1" with SMBIOS UUID "4c4c4544-0042-3510-8052-b4c04f4e3232" and MAC "52:54:00:ab:00:01" boots the seed image of "fleet"

  Rule: A plan is applied once, and its outcome is reported

    Scenario: The agent writes the plan's files, runs its instructions and reports them applied
      When the plan of "node-1" writes "/etc/motd" containing "managed by elemental" and runs "echo applied" as "greet"
      And the agent of "node-1" runs
      Then "node-1" has the file "/etc/motd" containing "managed by elemental"
      And the plan Secret of "node-1" records the plan as applied, with the output of "greet" = "applied"
      And the MachineInventory of "node-1" becomes Ready with reason "PlanSuccessfullyApplied"
      When the agent of "node-1" runs again
      Then the agent of "node-1" left its plan Secret as it was

    Scenario: A failing plan is reported with its output and not retried before the cool-down
      When the plan of "node-1" runs "echo broken; exit 3" as "break"
      And the agent of "node-1" runs
      Then the plan Secret of "node-1" records the plan as failed 1 time, with the output of "break" = "broken"
      And the MachineInventory of "node-1" becomes not Ready with reason "PlanFailure"
      When the agent of "node-1" runs again
      Then the plan Secret of "node-1" records the plan as failed 1 time, with the output of "break" = "broken"
