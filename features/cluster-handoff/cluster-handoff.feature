@sim
Feature: Rancher provisions a cluster from machine inventories, and Rancher's system agent takes over
  A Rancher cluster (provisioning.cattle.io Cluster) whose machine pool names a
  MachineInventorySelectorTemplate and a quantity gets that many CAPI Machines, named
  <cluster>-<pool>-<n>. Each Machine has a MachineInventorySelector made from the template, and a
  bootstrap Secret (type rke.cattle.io/bootstrap, key value) holding the script that installs
  Rancher's system agent. The selector adopts the first MachineInventory its labels match that no
  selector owns, and becomes its controller owner. The inventory confirms the adoption
  (AdoptionReady), and the selector puts the bootstrap plan in the inventory's plan Secret: the
  script as /var/lib/rancher/bootstrap.sh, the node name and the inventory's labels for RKE2 and
  K3s, and the script run once, guarded by /var/lib/rancher/bootstrap_done. The cluster is Ready
  once every Machine's selector is Ready. When a Machine goes (the pool scaled down, the cluster
  deleted), its selector goes with it, and so does the inventory it adopted. A resettable machine
  is then reset and registers again as a new machine.

  Reference behaviour in @sim: Rancher is fake Rancher's provisioning controller. Rancher's system
  agent, which the bootstrap script installs, is a second instance of the reference agent, started
  from the configuration the script wrote, as its service would start it. The plan's shell commands
  run in the simulated machine's root with the host's shell. The machine plan Rancher's agent
  applies writes K3s' configuration but installs no Kubernetes.

  Background:
    Given the OS image "v1" is in the registry
    And the MachineRegistration "fleet" authenticates machines by "sys-uuid", labels them "pool" = "edge", installs to "/dev/vda" and resets machines whose inventory is deleted
    And the MachineInventorySelectorTemplate "edge-pool" selects machines labelled "pool" = "edge"

  Rule: A machine pool adopts as many machines as it asks for, by label

    Scenario: A pool of 3 adopts 3 of 4 machines, and the 4th stays unadopted
      Given the machines "node-1, node-2, node-3 and node-4" booted the seed image of "fleet" built from "v1" and installed it
      When the cluster "edge" is created with a pool "workers" of 3 machines from the MachineInventorySelectorTemplate "edge-pool"
      Then Rancher made the Machines "edge-workers-1, edge-workers-2 and edge-workers-3", each with its bootstrap Secret and its MachineInventorySelector
      And each MachineInventorySelector of the cluster "edge" adopted a MachineInventory of its own, which is AdoptionReady
      And 1 MachineInventory stays unadopted, waiting to be adopted, with an empty plan
      And the cluster "edge" becomes Ready

    Scenario: A template whose selector matches nothing leaves the Machine waiting, and says so
      Given the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
      And the MachineInventorySelectorTemplate "gpu-pool" selects machines labelled "gpu" = "yes"
      When the cluster "gpu" is created with a pool "gpus" of 1 machine from the MachineInventorySelectorTemplate "gpu-pool"
      Then the MachineInventorySelector "gpu-gpus-1" is not Ready with reason "WaitingForInventory", adopting nothing
      And the Machine "gpu-gpus-1" waits in phase "Provisioning", saying "WaitingForInventory"
      And the cluster "gpu" is not Ready, saying "MachineInventorySelector gpu-gpus-1 is not Ready (WaitingForInventory"
      And the MachineInventory of "node-1" stays unadopted, waiting to be adopted

  Rule: The bootstrap plan hands the machine to Rancher's system agent, once

    Scenario: The bootstrap script runs once, across an agent restart and a reboot
      Given the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
      And the cluster "edge" has a pool "workers" of 1 machine from the MachineInventorySelectorTemplate "edge-pool" and is Ready
      Then the plan Secret of "node-1" holds the bootstrap plan of its MachineInventorySelector
      When the agent of "node-1" applies its plan
      Then the plan Secret of "node-1" records the bootstrap plan as applied
      And the MachineInventory of "node-1" becomes Ready with reason "PlanSuccessfullyApplied"
      And "node-1" has the bootstrap files of its Machine and MachineInventory
      And "node-1" ran its bootstrap script 1 time, which installed Rancher's system agent
      And Rancher's system agent is installed on "node-1", connected to the machine-plan Secret of its Machine
      When Rancher's system agent on "node-1" starts and applies its machine plan
      Then the machine-plan Secret of the Machine of "node-1" records its plan as applied, with the output of "install k3s" = "k3s for Machine <machine> of cluster edge"
      And "node-1" has the K3s configuration of Rancher's machine plan for its Machine
      When the system agent of "node-1" restarts
      And the agent of "node-1" runs
      Then "node-1" ran its bootstrap script 1 time, which installed Rancher's system agent
      When "node-1" reboots
      And the agent of "node-1" runs
      Then "node-1" ran its bootstrap script 1 time in all
      And the plan Secret of "node-1" records the bootstrap plan as applied

    Scenario: A bootstrap that cannot reach Rancher is reported with its output and a failure count
      Given the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
      And Rancher's server-url is set to "https://127.0.0.1:1"
      When the cluster "edge" is created with a pool "workers" of 1 machine from the MachineInventorySelectorTemplate "edge-pool"
      Then the plan Secret of "node-1" holds the bootstrap plan of its MachineInventorySelector
      When the agent of "node-1" applies its plan
      Then the plan Secret of "node-1" records the bootstrap plan as failed 1 time, with the output of "bootstrap" saying "cannot reach Rancher at https://127.0.0.1:1/k8s/clusters/local"
      And the MachineInventory of "node-1" becomes not Ready with reason "PlanFailure"
      And nothing of Rancher's system agent is on "node-1"

  Rule: A machine that leaves its cluster is released, and reset when it is resettable

    Scenario: Scaling a pool down releases and resets the machine of the highest-numbered Machine
      Given the machines "node-1 and node-2" booted the seed image of "fleet" built from "v1" and installed it
      And the cluster "edge" has a pool "workers" of 2 machines from the MachineInventorySelectorTemplate "edge-pool" and is Ready
      When the pool "workers" of the cluster "edge" is scaled to 1 machine
      Then the Machine "edge-workers-2" is gone, and with it its MachineInventorySelector and its bootstrap Secret
      And the MachineInventory of the machine adopted by "edge-workers-2" is deleted, with the reset plan in its plan Secret
      And the Machine "edge-workers-1" still has the machine it adopted
      And the cluster "edge" becomes Ready
      When the agent of the machine adopted by "edge-workers-2" applies its plan
      And the machine adopted by "edge-workers-2" reboots
      Then the machine adopted by "edge-workers-2" was reset and registered again as a new MachineInventory
      And the machine adopted by "edge-workers-2" stays unadopted, waiting to be adopted

    Scenario: Deleting the cluster resets its resettable machines
      Given the machines "node-1 and node-2" booted the seed image of "fleet" built from "v1" and installed it
      And the cluster "edge" has a pool "workers" of 2 machines from the MachineInventorySelectorTemplate "edge-pool" and is Ready
      When the cluster "edge" is deleted
      Then the Machines of "edge" are gone, and with them their MachineInventorySelectors
      And the MachineInventories of "node-1 and node-2" are deleted, each with the reset plan in its plan Secret
      When the agents of "node-1 and node-2" apply their plans
      And "node-1 and node-2" reboot
      Then "node-1 and node-2" were reset and registered again as new MachineInventories

  Rule: A Machine without usable bootstrap data gets no bootstrap plan, and its selector says why

    Scenario: A missing, then malformed, bootstrap Secret is reported and no plan is written
      Given the machine "node-1" booted the seed image of "fleet" built from "v1" and installed it
      When a Machine "hand-made-1" naming the bootstrap Secret "hand-made-1-bootstrap" gets a MachineInventorySelector from the template "edge-pool"
      Then the MachineInventorySelector "hand-made-1" adopted the MachineInventory of "node-1" but is not Ready with reason "FailedToUpdatePlan", saying "bootstrap data Secret"
      And the MachineInventorySelector "hand-made-1" adopted the MachineInventory of "node-1" but is not Ready with reason "FailedToUpdatePlan", saying "not found"
      And the plan Secret of "node-1" still holds its empty plan
      When the bootstrap Secret "hand-made-1-bootstrap" is created with no key "value"
      Then the MachineInventorySelector "hand-made-1" adopted the MachineInventory of "node-1" but is not Ready with reason "FailedToUpdatePlan", saying "has no script under the key 'value'"
      And the plan Secret of "node-1" still holds its empty plan
