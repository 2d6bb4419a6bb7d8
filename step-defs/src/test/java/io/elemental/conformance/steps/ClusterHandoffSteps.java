package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineInventorySelector;
import io.elemental.conformance.api.v1beta1.MachineInventorySelectorTemplate;
import io.elemental.conformance.fakerancher.BootstrapScript;
import io.elemental.conformance.fakerancher.ClusterProvisioning;
import io.elemental.conformance.fakerancher.MachinePlan;
import io.elemental.conformance.harness.machine.SimulatedAgent;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.node.agent.PlanApplier;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The hand-off: Rancher (fake Rancher's provisioning controller) makes a cluster's Machines from an Elemental
 * machine pool, the operator's MachineInventorySelectors adopt registered machines and bootstrap them, and
 * Rancher's system agent takes over. Every step looks at what the controllers left: Kubernetes objects, and
 * files in the simulated machines' roots.
 */
public class ClusterHandoffSteps {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String RANCHER_AGENT_CONFIG = BootstrapScript.CONFIG;
  private static final int MAX_PASSES = 4;

  private final ScenarioScope scope;
  private final Machines machines;
  private final RegistrationSteps registering;
  private final OsLifecycleSteps lifecycle;
  private final SystemAgentSteps agents;
  /** Which simulated machine each CAPI Machine adopted, once known (its inventory may be gone later). */
  private final Map<String, String> adoptedBy = new HashMap<>();
  private final Map<String, SimulatedAgent> rancherAgents = new HashMap<>();

  public ClusterHandoffSteps(ScenarioScope scope, Machines machines, RegistrationSteps registering,
      OsLifecycleSteps lifecycle, SystemAgentSteps agents) {
    this.scope = scope;
    this.machines = machines;
    this.registering = registering;
    this.lifecycle = lifecycle;
    this.agents = agents;
  }

  static List<String> names(String list) {
    return Arrays.stream(list.split("\\s*(,|\\band\\b)\\s*")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  // --- what the scenario sets up -------------------------------------------------------------------------------

  @Given("the machines {string} booted the seed image of {string} built from {string} and installed it")
  public void machinesInstalled(String list, String registration, String version) {
    for (String machine : names(list)) lifecycle.installed(machine, registration, version);
  }

  @Given("the MachineInventorySelectorTemplate {string} selects machines labelled {string} = {string}")
  public void template(String name, String label, String value) {
    MachineInventorySelectorTemplate template = new MachineInventorySelectorTemplate();
    template.getMetadata().setName(name);
    template.getMetadata().setNamespace(scope.namespace());
    template.setSpec(new MachineInventorySelectorTemplate.Spec());
    template.getSpec().template = new MachineInventorySelectorTemplate.SelectorTemplate();
    template.getSpec().template.metadata = new ObjectMeta();
    template.getSpec().template.spec = new MachineInventorySelector.Spec();
    template.getSpec().template.spec.selector = new LabelSelectorBuilder().withMatchLabels(Map.of(label, value)).build();
    scope.client().resource(template).create();
  }

  @When("the cluster {string} is created with a pool {string} of {int} machine(s) from the MachineInventorySelectorTemplate {string}")
  public void clusterCreated(String cluster, String pool, int quantity, String template) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("provisioning.cattle.io/v1");
    resource.setKind("Cluster");
    resource.setMetadata(new ObjectMeta());
    resource.getMetadata().setName(cluster);
    resource.getMetadata().setNamespace(scope.namespace());
    Map<String, Object> machinePool = new LinkedHashMap<>();
    machinePool.put("name", pool);
    machinePool.put("quantity", quantity);
    machinePool.put("workerRole", true);
    machinePool.put("machineConfigRef", Map.of("apiVersion", "elemental.cattle.io/v1beta1",
        "kind", "MachineInventorySelectorTemplate", "name", template));
    resource.setAdditionalProperty("spec", Map.of("kubernetesVersion", "v1.34.4+k3s1",
        "rkeConfig", Map.of("machinePools", List.of(machinePool))));
    scope.client().genericKubernetesResources(ClusterProvisioning.CLUSTERS).inNamespace(scope.namespace())
        .resource(resource).create();
  }

  @Given("the cluster {string} has a pool {string} of {int} machine(s) from the MachineInventorySelectorTemplate {string} and is Ready")
  public void readyCluster(String cluster, String pool, int quantity, String template) {
    clusterCreated(cluster, pool, quantity, template);
    clusterReady(cluster);
  }

  @When("the pool {string} of the cluster {string} is scaled to {int} machine(s)")
  @SuppressWarnings("unchecked")
  public void scaled(String pool, String cluster, int quantity) {
    for (int n = 1; n <= quantity + 8; n++) knownMachine(cluster + "-" + pool + "-" + n);
    scope.client().genericKubernetesResources(ClusterProvisioning.CLUSTERS).inNamespace(scope.namespace())
        .withName(cluster).edit(c -> {
          Map<String, Object> spec = (Map<String, Object>) c.getAdditionalProperties().get("spec");
          Map<String, Object> rke = (Map<String, Object>) spec.get("rkeConfig");
          List<Object> pools = new ArrayList<>();
          for (Object o : (List<Object>) rke.get("machinePools")) {
            Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) o);
            if (pool.equals(p.get("name"))) p.put("quantity", quantity);
            pools.add(p);
          }
          rke.put("machinePools", pools);
          return c;
        });
  }

  @When("the cluster {string} is deleted")
  public void clusterDeleted(String cluster) {
    for (GenericKubernetesResource machine : machinesOf(cluster)) knownMachine(machine.getMetadata().getName());
    scope.client().genericKubernetesResources(ClusterProvisioning.CLUSTERS).inNamespace(scope.namespace())
        .withName(cluster).delete();
  }

  // --- Rancher's side: Machines, bootstrap data, the Cluster ---------------------------------------------------

  @Then("Rancher made the Machines {string}, each with its bootstrap Secret and its MachineInventorySelector")
  @SuppressWarnings("unchecked")
  public void machinesMade(String list) {
    for (String name : names(list)) {
      GenericKubernetesResource machine = scope.waits().until("Machine " + name + " with its bootstrap data",
          Timeouts.RECONCILE, () -> machine(name), m -> m != null && dataSecretName(m).isPresent());
      assertThat(machine.getMetadata().getOwnerReferences()).as("owners of Machine %s", name)
          .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("Cluster"));
      Map<String, Object> infrastructure = (Map<String, Object>) spec(machine).get("infrastructureRef");
      assertThat(infrastructure).containsEntry("kind", "MachineInventorySelector").containsEntry("name", name);
      Secret bootstrap = scope.client().secrets().inNamespace(scope.namespace()).withName(dataSecretName(machine).get())
          .get();
      assertThat(bootstrap).as("bootstrap Secret of %s", name).isNotNull();
      assertThat(bootstrap.getType()).isEqualTo(ClusterProvisioning.BOOTSTRAP_SECRET_TYPE);
      assertThat(decode(bootstrap.getData().get("value"))).startsWith("#!/bin/sh");
      MachineInventorySelector selector = selector(name);
      assertThat(selector).as("MachineInventorySelector %s", name).isNotNull();
      assertThat(selector.getMetadata().getOwnerReferences()).as("owners of MachineInventorySelector %s", name)
          .anySatisfy(o -> {
            assertThat(o.getKind()).isEqualTo("Machine");
            assertThat(o.getName()).isEqualTo(name);
            assertThat(o.getController()).isTrue();
          });
    }
  }

  @Then("the cluster {string} becomes Ready")
  public void clusterReady(String cluster) {
    scope.waits().until("Cluster " + cluster + " Ready", Timeouts.RECONCILE, () -> clusterStatus(cluster),
        s -> Boolean.TRUE.equals(s.get("ready")) && "True".equals(clusterCondition(s).get("status")));
  }

  @Then("the cluster {string} is not Ready, saying {string}")
  public void clusterNotReady(String cluster, String text) {
    scope.waits().until("Cluster " + cluster + " not Ready, saying \"" + text + "\"", Timeouts.RECONCILE,
        () -> clusterStatus(cluster), s -> Boolean.FALSE.equals(s.get("ready"))
            && "False".equals(clusterCondition(s).get("status"))
            && String.valueOf(clusterCondition(s).get("message")).contains(text));
  }

  @Then("the Machine {string} waits in phase {string}, saying {string}")
  @SuppressWarnings("unchecked")
  public void machineWaits(String name, String phase, String text) {
    scope.waits().until("Machine " + name + " in phase " + phase, Timeouts.RECONCILE, () -> machine(name),
        m -> {
          Map<String, Object> status = m == null ? Map.of()
              : (Map<String, Object>) m.getAdditionalProperties().getOrDefault("status", Map.of());
          return phase.equals(status.get("phase")) && Boolean.FALSE.equals(status.get("infrastructureReady"))
              && String.valueOf(status.get("conditions")).contains(text);
        });
  }

  @Then("the Machine {string} is gone, and with it its MachineInventorySelector and its bootstrap Secret")
  public void machineGone(String name) {
    scope.waits().until("Machine " + name + " to be gone", Timeouts.RECONCILE, () -> machine(name) == null);
    scope.waits().until("MachineInventorySelector " + name + " to be gone", Timeouts.GARBAGE_COLLECTION,
        () -> selector(name) == null);
    scope.waits().until("bootstrap Secret of " + name + " to be gone", Timeouts.GARBAGE_COLLECTION,
        () -> scope.client().secrets().inNamespace(scope.namespace()).withName(name
            + ClusterProvisioning.BOOTSTRAP_SUFFIX).get() == null);
  }

  @Then("the Machines of {string} are gone, and with them their MachineInventorySelectors")
  public void machinesGone(String cluster) {
    List<String> known = adoptedBy.keySet().stream().filter(m -> m.startsWith(cluster + "-")).toList();
    assertThat(known).as("Machines of %s seen before", cluster).isNotEmpty();
    scope.waits().until("the Machines of " + cluster + " to be gone", Timeouts.GARBAGE_COLLECTION,
        () -> machinesOf(cluster).isEmpty());
    for (String name : known) {
      scope.waits().until("MachineInventorySelector " + name + " to be gone", Timeouts.GARBAGE_COLLECTION,
          () -> selector(name) == null);
    }
  }

  @Then("the Machine {string} still has the machine it adopted")
  public void stillAdopted(String name) {
    String machine = machineAdoptedBy(name);
    MachineInventory inventory = registering.inventoryOf(machine);
    assertThat(selectorOwner(inventory)).as("owner of the MachineInventory of %s", machine).hasValue(name);
    assertThat(inventory.getMetadata().getDeletionTimestamp()).isNull();
  }

  // --- the operator's side: adoption and the bootstrap plan ----------------------------------------------------

  @Then("each MachineInventorySelector of the cluster {string} adopted a MachineInventory of its own, which is AdoptionReady")
  public void eachAdopted(String cluster) {
    List<GenericKubernetesResource> clusterMachines = machinesOf(cluster);
    assertThat(clusterMachines).isNotEmpty();
    List<String> inventories = new ArrayList<>();
    for (GenericKubernetesResource m : clusterMachines) {
      String name = m.getMetadata().getName();
      MachineInventorySelector selector = scope.waits().until("MachineInventorySelector " + name + " Ready",
          Timeouts.RECONCILE, () -> selector(name), s -> s != null && s.getStatus() != null
              && condition(s.getStatus().conditions, "Ready").filter(c -> "True".equals(c.getStatus())
                  && "SelectorReady".equals(c.getReason())).isPresent());
      assertThat(Boolean.TRUE.equals(selector.getStatus().ready)).as("status.ready of %s", name).isTrue();
      assertThat(condition(selector.getStatus().conditions, "InventoryReady")).as("InventoryReady of %s", name)
          .hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("SuccessfullyAdoptedInventory");
          });
      assertThat(selector.getStatus().bootstrapPlanChecksum).as("bootstrapPlanChecksum of %s", name).isNotBlank();
      String inventoryName = selector.getStatus().machineInventoryRef.getName();
      inventories.add(inventoryName);
      MachineInventory inventory = scope.waits().until("MachineInventory " + inventoryName + " AdoptionReady",
          Timeouts.RECONCILE, () -> inventory(inventoryName), i -> i != null && i.getStatus() != null
              && condition(i.getStatus().conditions, "AdoptionReady").filter(c -> "True".equals(c.getStatus())
                  && "SuccessfullyAdopted".equals(c.getReason())).isPresent());
      assertThat(inventory.getMetadata().getOwnerReferences()).as("owners of MachineInventory %s", inventoryName)
          .singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("MachineInventorySelector");
            assertThat(o.getName()).isEqualTo(name);
            assertThat(o.getUid()).isEqualTo(selector.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
          });
      adoptedBy.put(name, simulatedMachineOf(inventoryName));
    }
    assertThat(inventories).as("the inventories adopted by the selectors of %s", cluster).doesNotHaveDuplicates();
  }

  @Then("{int} MachineInventory/MachineInventories stay(s) unadopted, waiting to be adopted, with an empty plan")
  public void unadopted(int count) {
    List<MachineInventory> free = scope.waits().until(count + " MachineInventories waiting to be adopted",
        Timeouts.RECONCILE, () -> registering.inventories().stream().filter(i -> selectorOwner(i).isEmpty()).toList(),
        list -> list.size() == count && list.stream().allMatch(i -> i.getStatus() != null
            && condition(i.getStatus().conditions, "AdoptionReady").filter(c -> "False".equals(c.getStatus())
                && "WaitingToBeAdopted".equals(c.getReason())).isPresent()));
    for (MachineInventory inventory : free) {
      Secret plan = scope.client().secrets().inNamespace(scope.namespace()).withName(inventory.getMetadata().getName())
          .get();
      assertThat(plan.getMetadata().getAnnotations()).containsEntry("elemental.cattle.io/plan.type", "empty");
      assertThat(decode(plan.getData().get("plan"))).isEqualTo("{}");
    }
  }

  @Then("the MachineInventory of {string} stays unadopted, waiting to be adopted")
  public void machineUnadopted(String machine) {
    String name = registering.inventoryOf(machine).getMetadata().getName();
    scope.waits().until("MachineInventory " + name + " waiting to be adopted", Timeouts.RECONCILE,
        () -> inventory(name), i -> i != null && selectorOwner(i).isEmpty() && i.getStatus() != null
            && condition(i.getStatus().conditions, "AdoptionReady").filter(c -> "False".equals(c.getStatus())
                && "WaitingToBeAdopted".equals(c.getReason())).isPresent());
  }

  @Then("the MachineInventorySelector {string} is not Ready with reason {string}, adopting nothing")
  public void selectorNotReady(String name, String reason) {
    MachineInventorySelector selector = scope.waits().until("MachineInventorySelector " + name + " Ready=False ("
        + reason + ")", Timeouts.RECONCILE, () -> selector(name), s -> s != null && s.getStatus() != null
            && condition(s.getStatus().conditions, "Ready").filter(c -> "False".equals(c.getStatus())
                && reason.equals(c.getReason())).isPresent());
    assertThat(selector.getStatus().machineInventoryRef).isNull();
    assertThat(selector.getStatus().bootstrapPlanChecksum).isNull();
  }

  @Then("the plan Secret of {string} holds the bootstrap plan of its MachineInventorySelector")
  public void holdsBootstrapPlan(String machine) throws Exception {
    String name = registering.inventoryOf(machine).getMetadata().getName();
    Secret secret = scope.waits().until("the bootstrap plan in the plan Secret " + name, Timeouts.RECONCILE,
        () -> agents.planSecret(machine), s -> s.getMetadata().getAnnotations() != null
            && "bootstrap".equals(s.getMetadata().getAnnotations().get("elemental.cattle.io/plan.type")));
    scope.waits().until("the MachineInventorySelector of " + name + " to record its bootstrap plan",
        Timeouts.RECONCILE, () -> selectorOwner(registering.inventoryOf(machine)).map(this::selector).orElse(null),
        s -> s != null && s.getStatus() != null && s.getStatus().bootstrapPlanChecksum != null);
    String plan = decode(secret.getData().get("plan"));
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("elemental.cattle.io/plan.type", "bootstrap");
    MachineInventory inventory = registering.inventoryOf(machine);
    MachineInventorySelector selector = selector(selectorOwner(inventory).orElseThrow(() ->
        new AssertionError("the MachineInventory of " + machine + " has no MachineInventorySelector owner")));
    assertThat(RegistrationSteps.sha256(plan)).as("checksum of the plan of %s", machine)
        .isEqualTo(selector.getStatus().bootstrapPlanChecksum);
    JsonNode json = JSON.readTree(plan);
    List<String> paths = new ArrayList<>();
    json.path("files").forEach(f -> paths.add(f.path("path").asText()));
    assertThat(paths).contains("/var/lib/rancher/bootstrap.sh", "/etc/rancher/rke2/config.yaml.d/99-elemental-name.yaml",
        "/etc/rancher/k3s/config.yaml.d/99-elemental-name.yaml",
        "/etc/rancher/k3s/config.yaml.d/99-elemental-inventory-labels.yaml");
    assertThat(json.path("instructions").toString()).contains("[ -f /var/lib/rancher/bootstrap_done ] || "
        + "/var/lib/rancher/bootstrap.sh && touch /var/lib/rancher/bootstrap_done");
  }

  @Then("the plan Secret of {string} records the bootstrap plan as applied")
  public void bootstrapApplied(String machine) throws Exception {
    holdsBootstrapPlan(machine);
    Map<String, String> data = agents.decodedData(machine);
    assertThat(data.get("applied-checksum")).isEqualTo(RegistrationSteps.sha256(data.get("plan")));
  }

  @Then("{string} has the bootstrap files of its Machine and MachineInventory")
  public void bootstrapFiles(String machine) throws Exception {
    MachineInventory inventory = registering.inventoryOf(machine);
    String name = inventory.getMetadata().getName();
    String machineName = selectorOwner(inventory).orElseThrow();
    Secret bootstrap = scope.client().secrets().inNamespace(scope.namespace())
        .withName(dataSecretName(machine(machineName)).orElseThrow()).get();
    assertThat(file(machine, "/var/lib/rancher/bootstrap.sh")).as("bootstrap.sh on %s", machine)
        .hasValue(decode(bootstrap.getData().get("value")));
    for (String distribution : List.of("rke2", "k3s")) {
      assertThat(file(machine, "/etc/rancher/" + distribution + "/config.yaml.d/99-elemental-name.yaml"))
          .hasValue("node-name: " + name);
      assertThat(file(machine, "/etc/rancher/" + distribution + "/config.yaml.d/99-elemental-inventory-labels.yaml"))
          .hasValueSatisfying(labels -> inventory.getMetadata().getLabels().forEach((k, v) ->
              assertThat(labels).contains("- " + k + "=" + v)));
    }
    assertThat(file(machine, "/usr/local/etc/hostname")).hasValue(name);
    assertThat(machines.get(machine).console()).anyMatch(line -> line.contains("hostname set to " + name));
  }

  @Then("{string} ran its bootstrap script {int} time(s), which installed Rancher's system agent")
  public void bootstrapRan(String machine, int times) throws Exception {
    assertThat(file(machine, "/var/lib/rancher/bootstrap_done")).as("bootstrap_done on %s", machine).isPresent();
    assertThat(installLog(machine).stream().filter(l -> l.endsWith(": installed")).count())
        .as("installs in %s of %s", BootstrapScript.INSTALL_LOG, machine).isEqualTo(times);
    assertThat(installLog(machine).stream().filter(l -> l.endsWith(": started")).count())
        .as("runs in %s of %s", BootstrapScript.INSTALL_LOG, machine).isEqualTo(times);
  }

  @Then("{string} ran its bootstrap script {int} time(s) in all")
  public void bootstrapRanInAll(String machine, int times) throws Exception {
    assertThat(file(machine, "/var/lib/rancher/bootstrap_done")).as("bootstrap_done on %s", machine).isPresent();
    assertThat(installLog(machine).stream().filter(l -> l.endsWith(": started")).count())
        .as("runs in %s of %s", BootstrapScript.INSTALL_LOG, machine).isEqualTo(times);
  }

  @Then("Rancher's system agent is installed on {string}, connected to the machine-plan Secret of its Machine")
  public void rancherAgentInstalled(String machine) throws Exception {
    String machineName = selectorOwner(registering.inventoryOf(machine)).orElseThrow();
    JsonNode config = YAML.readTree(file(machine, RANCHER_AGENT_CONFIG).orElseThrow(() ->
        new AssertionError(machine + " has no " + RANCHER_AGENT_CONFIG)));
    assertThat(config.path("remoteEnabled").asBoolean()).isTrue();
    assertThat(config.path("connectionInfoFile").asText()).isEqualTo(BootstrapScript.CONNECTION_INFO);
    JsonNode connection = JSON.readTree(file(machine, BootstrapScript.CONNECTION_INFO).orElseThrow());
    assertThat(connection.path("namespace").asText()).isEqualTo(scope.namespace());
    assertThat(connection.path("secretName").asText()).isEqualTo(machineName + ClusterProvisioning.MACHINE_PLAN_SUFFIX);
    assertThat(YAML.readTree(connection.path("kubeConfig").asText()).at("/clusters/0/cluster/server").asText())
        .isEqualTo(scope.environment().rancher().setting("server-url").replaceAll("/+$", "") + "/k8s/clusters/local");
    assertThat(file(machine, BootstrapScript.UNIT)).hasValueSatisfying(unit ->
        assertThat(unit).contains("ExecStart=/usr/local/bin/rancher-system-agent"));
  }

  @Then("nothing of Rancher's system agent is on {string}")
  public void noRancherAgent(String machine) {
    for (String path : List.of(RANCHER_AGENT_CONFIG, BootstrapScript.CONNECTION_INFO, BootstrapScript.UNIT,
        "/var/lib/rancher/bootstrap_done")) {
      assertThat(file(machine, path)).as("%s on %s", path, machine).isEmpty();
    }
  }

  @Then("the plan Secret of {string} records the bootstrap plan as failed {int} time(s), with the output of {string} saying {string}")
  public void bootstrapFailed(String machine, int times, String instruction, String text) throws Exception {
    Map<String, String> data = agents.decodedData(machine);
    assertThat(agents.planSecret(machine).getMetadata().getAnnotations())
        .containsEntry("elemental.cattle.io/plan.type", "bootstrap");
    assertThat(data.get("failed-checksum")).isEqualTo(RegistrationSteps.sha256(data.get("plan")));
    assertThat(data.get("failure-count")).isEqualTo(Integer.toString(times));
    assertThat(data.get("applied-checksum")).isNotEqualTo(data.get("failed-checksum"));
    assertThat(output(agents.planSecret(machine), "failed-output", instruction)).contains(text);
  }

  // --- machines leaving: release and reset ---------------------------------------------------------------------

  @Then("the MachineInventory of the machine adopted by {string} is deleted, with the reset plan in its plan Secret")
  public void adoptedInventoryResetting(String machineName) {
    inventoryResetting(machineAdoptedBy(machineName));
  }

  @Then("the MachineInventories of {string} are deleted, each with the reset plan in its plan Secret")
  public void inventoriesResetting(String list) {
    for (String machine : names(list)) inventoryResetting(machine);
  }

  private void inventoryResetting(String machine) {
    MachineInventory inventory = registering.inventoryOf(machine);
    String name = inventory.getMetadata().getName();
    scope.remember("inventory uid of " + machine, inventory.getMetadata().getUid());
    scope.remember("inventory name of " + machine, name);
    scope.waits().until("MachineInventory " + name + " deleted, waiting for its reset", Timeouts.GARBAGE_COLLECTION,
        () -> inventory(name), i -> i != null && i.getMetadata().getDeletionTimestamp() != null);
    scope.waits().until("the reset plan in the plan Secret of " + name, Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(scope.namespace()).withName(name).get(),
        s -> s != null && s.getMetadata().getAnnotations() != null
            && "reset".equals(s.getMetadata().getAnnotations().get("elemental.cattle.io/plan.type")));
  }

  @When("the agent of the machine adopted by {string} applies its plan")
  public void adoptedApplies(String machineName) throws Exception {
    agents.agentApplies(machineAdoptedBy(machineName));
  }

  @When("the agents of {string} apply their plans")
  public void agentsApply(String list) throws Exception {
    for (String machine : names(list)) agents.agentApplies(machine);
  }

  @When("the machine adopted by {string} reboots")
  public void adoptedReboots(String machineName) throws Exception {
    lifecycle.reboots(machineAdoptedBy(machineName));
  }

  @When("{string} reboot")
  public void machinesReboot(String list) throws Exception {
    for (String machine : names(list)) lifecycle.reboots(machine);
  }

  @Then("the machine adopted by {string} was reset and registered again as a new MachineInventory")
  public void adoptedRegisteredAsNew(String machineName) {
    registeredAsNew(machineAdoptedBy(machineName));
  }

  @Then("{string} were reset and registered again as new MachineInventories")
  public void registeredAgainAsNew(String list) {
    for (String machine : names(list)) registeredAsNew(machine);
  }

  private void registeredAsNew(String machine) {
    registering.assertRegistered(machine);
    assertThat(machines.get(machine).console()).as("console of %s", machine)
        .anyMatch(line -> line.contains("elemental-register: reset from recovery"));
    MachineInventory inventory = registering.inventoryOf(machine);
    assertThat(inventory.getMetadata().getUid()).as("uid of the MachineInventory of %s", machine)
        .isNotEqualTo(scope.recall("inventory uid of " + machine));
    assertThat(file(machine, "/var/lib/rancher/bootstrap_done")).as("bootstrap_done on %s after its reset", machine)
        .isEmpty();
  }

  @Then("the machine adopted by {string} stays unadopted, waiting to be adopted")
  public void adoptedNowUnadopted(String machineName) {
    machineUnadopted(machineAdoptedBy(machineName));
  }

  // --- Rancher's system agent ----------------------------------------------------------------------------------

  @When("the system agent of {string} restarts")
  public void agentRestarts(String machine) {
    machines.get(machine).restartAgent();
  }

  /** Its service starts it from the configuration the bootstrap script installed; passes until it settles. */
  @When("Rancher's system agent on {string} starts and applies its machine plan")
  public void rancherAgentApplies(String machine) {
    SimulatedAgent agent = machines.get(machine).startAgentFrom(RANCHER_AGENT_CONFIG);
    rancherAgents.put(machine, agent);
    String secretName = selectorOwner(registering.inventoryOf(machine)).orElseThrow()
        + ClusterProvisioning.MACHINE_PLAN_SUFFIX;
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      PlanApplier.Result result = agent.runOnce();
      Map<String, String> data = machinePlanData(secretName);
      String checksum = RegistrationSteps.sha256(data.getOrDefault("plan", ""));
      if (checksum.equals(data.get("applied-checksum")) || checksum.equals(data.get("failed-checksum"))) return;
      assertThat(result).isNotNull();
    }
    throw new AssertionError("Rancher's system agent on " + machine + " did not settle its machine plan in "
        + MAX_PASSES + " passes");
  }

  @Then("the machine-plan Secret of the Machine of {string} records its plan as applied, with the output of {string} = {string}")
  public void machinePlanApplied(String machine, String instruction, String expected) throws Exception {
    String machineName = selectorOwner(registering.inventoryOf(machine)).orElseThrow();
    Secret secret = scope.client().secrets().inNamespace(scope.namespace())
        .withName(machineName + ClusterProvisioning.MACHINE_PLAN_SUFFIX).get();
    assertThat(secret.getType()).isEqualTo(ClusterProvisioning.MACHINE_PLAN_SECRET_TYPE);
    Map<String, String> data = machinePlanData(secret.getMetadata().getName());
    assertThat(data.get("applied-checksum")).isEqualTo(RegistrationSteps.sha256(data.get("plan")));
    assertThat(output(secret, "applied-output", instruction).strip())
        .isEqualTo(expected.replace("<machine>", machineName));
  }

  @Then("{string} has the K3s configuration of Rancher's machine plan for its Machine")
  public void k3sConfig(String machine) {
    String machineName = selectorOwner(registering.inventoryOf(machine)).orElseThrow();
    assertThat(file(machine, MachinePlan.CONFIG)).as("%s on %s", MachinePlan.CONFIG, machine)
        .hasValueSatisfying(text -> assertThat(text).contains("- rke.cattle.io/machine=" + machineName));
    assertThat(file(machine, MachinePlan.INSTALL_MARKER)).isPresent();
  }

  // --- bad input: a Machine whose bootstrap data is missing or malformed --------------------------------------

  /**
   * A Machine made by hand (no Rancher Cluster owns it, so fake Rancher leaves it alone), naming the bootstrap
   * data Secret {@code secret}, with a MachineInventorySelector from the template, owned by it as Rancher's
   * provider would make it.
   */
  @When("a Machine {string} naming the bootstrap Secret {string} gets a MachineInventorySelector from the template {string}")
  @SuppressWarnings("unchecked")
  public void handMadeMachine(String name, String secret, String template) {
    GenericKubernetesResource machine = new GenericKubernetesResource();
    machine.setApiVersion("cluster.x-k8s.io/v1beta1");
    machine.setKind("Machine");
    machine.setMetadata(new ObjectMeta());
    machine.getMetadata().setName(name);
    machine.getMetadata().setNamespace(scope.namespace());
    machine.setAdditionalProperty("spec", Map.of("clusterName", "hand-made", "bootstrap", Map.of("dataSecretName", secret),
        "infrastructureRef", Map.of("apiVersion", "elemental.cattle.io/v1beta1", "kind", "MachineInventorySelector",
            "name", name)));
    GenericKubernetesResource created = scope.client().genericKubernetesResources(ClusterProvisioning.MACHINES)
        .inNamespace(scope.namespace()).resource(machine).create();
    MachineInventorySelectorTemplate source = scope.client().resources(MachineInventorySelectorTemplate.class)
        .inNamespace(scope.namespace()).withName(template).get();
    MachineInventorySelector selector = new MachineInventorySelector();
    selector.getMetadata().setName(name);
    selector.getMetadata().setNamespace(scope.namespace());
    selector.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("Machine").withName(name)
        .withUid(created.getMetadata().getUid()).withController(true).build()));
    selector.setSpec(source.getSpec().template.spec);
    scope.client().resource(selector).create();
  }

  @When("the bootstrap Secret {string} is created with no key {string}")
  public void bootstrapSecretWithoutValue(String name, String key) {
    scope.client().secrets().inNamespace(scope.namespace()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(scope.namespace()).endMetadata()
        .withType(ClusterProvisioning.BOOTSTRAP_SECRET_TYPE).withData(Map.of("script", Base64.getEncoder()
            .encodeToString("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)))).build()).create();
  }

  @Then("the MachineInventorySelector {string} adopted the MachineInventory of {string} but is not Ready with reason {string}, saying {string}")
  public void adoptedButNoPlan(String name, String machine, String reason, String text) {
    String inventory = registering.inventoryOf(machine).getMetadata().getName();
    MachineInventorySelector selector = scope.waits().until("MachineInventorySelector " + name + " Ready=False ("
        + reason + ": " + text + ")", Timeouts.RECONCILE, () -> selector(name), s -> s != null && s.getStatus() != null
            && condition(s.getStatus().conditions, "Ready").filter(c -> "False".equals(c.getStatus())
                && reason.equals(c.getReason()) && c.getMessage().contains(text)).isPresent());
    assertThat(selector.getStatus().machineInventoryRef).isNotNull();
    assertThat(selector.getStatus().machineInventoryRef.getName()).isEqualTo(inventory);
    assertThat(selector.getStatus().bootstrapPlanChecksum).as("bootstrapPlanChecksum of %s", name).isNull();
    assertThat(Boolean.TRUE.equals(selector.getStatus().ready)).as("status.ready of %s", name).isFalse();
  }

  @Then("the plan Secret of {string} still holds its empty plan")
  public void stillEmpty(String machine) {
    Secret plan = agents.planSecret(machine);
    assertThat(plan.getMetadata().getAnnotations()).containsEntry("elemental.cattle.io/plan.type", "empty");
    assertThat(decode(plan.getData().get("plan"))).isEqualTo("{}");
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  /** The simulated machine whose inventory the selector of {@code machineName} adopted (remembered once known). */
  private String machineAdoptedBy(String machineName) {
    String known = adoptedBy.get(machineName);
    if (known != null) return known;
    MachineInventorySelector selector = scope.waits().until("MachineInventorySelector " + machineName
        + " to adopt a MachineInventory", Timeouts.RECONCILE, () -> selector(machineName),
        s -> s != null && s.getStatus() != null && s.getStatus().machineInventoryRef != null);
    String machine = simulatedMachineOf(selector.getStatus().machineInventoryRef.getName());
    adoptedBy.put(machineName, machine);
    return machine;
  }

  /** Remembers which machine a CAPI Machine adopted while both still exist. */
  private void knownMachine(String machineName) {
    MachineInventorySelector selector = selector(machineName);
    if (selector != null && selector.getStatus() != null && selector.getStatus().machineInventoryRef != null) {
      adoptedBy.put(machineName, simulatedMachineOf(selector.getStatus().machineInventoryRef.getName()));
    }
  }

  private String simulatedMachineOf(String inventoryName) {
    return machines.names().stream()
        .filter(m -> registering.inventoryIfAny(m).map(i -> i.getMetadata().getName().equals(inventoryName))
            .orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no machine of the scenario has MachineInventory "
            + inventoryName));
  }

  private static Optional<String> selectorOwner(MachineInventory inventory) {
    return Optional.ofNullable(inventory.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(o -> "MachineInventorySelector".equals(o.getKind())).map(OwnerReference::getName).findFirst();
  }

  private GenericKubernetesResource machine(String name) {
    return scope.client().genericKubernetesResources(ClusterProvisioning.MACHINES).inNamespace(scope.namespace())
        .withName(name).get();
  }

  private List<GenericKubernetesResource> machinesOf(String cluster) {
    return scope.client().genericKubernetesResources(ClusterProvisioning.MACHINES).inNamespace(scope.namespace())
        .withLabel(ClusterProvisioning.CLUSTER_NAME_LABEL, cluster).list().getItems();
  }

  private MachineInventorySelector selector(String name) {
    return scope.client().resources(MachineInventorySelector.class).inNamespace(scope.namespace()).withName(name).get();
  }

  private MachineInventory inventory(String name) {
    return scope.client().resources(MachineInventory.class).inNamespace(scope.namespace()).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("spec", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> dataSecretName(GenericKubernetesResource machine) {
    Object bootstrap = spec(machine).get("bootstrap");
    Object name = bootstrap instanceof Map ? ((Map<String, Object>) bootstrap).get("dataSecretName") : null;
    return Optional.ofNullable(name).map(Object::toString);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> clusterStatus(String cluster) {
    GenericKubernetesResource resource = scope.client().genericKubernetesResources(ClusterProvisioning.CLUSTERS)
        .inNamespace(scope.namespace()).withName(cluster).get();
    return resource == null ? Map.of()
        : (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("status", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> clusterCondition(Map<String, Object> status) {
    Object conditions = status.get("conditions");
    if (!(conditions instanceof List)) return Map.of();
    return ((List<Object>) conditions).stream().map(c -> (Map<String, Object>) c)
        .filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(Map.of());
  }

  private static Optional<Condition> condition(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private Map<String, String> machinePlanData(String secretName) {
    Secret secret = scope.client().secrets().inNamespace(scope.namespace()).withName(secretName).get();
    Map<String, String> data = new HashMap<>();
    if (secret != null && secret.getData() != null) secret.getData().forEach((k, v) -> data.put(k, decode(v)));
    return data;
  }

  private Optional<String> file(String machine, String path) {
    Path file = machines.get(machine).root().resolve(path.replaceFirst("^/+", ""));
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> installLog(String machine) {
    return file(machine, BootstrapScript.INSTALL_LOG).map(text -> text.lines().toList()).orElse(List.of());
  }

  private static String decode(String base64) {
    return base64 == null ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** system-agent's output format: gzip of JSON {instruction name: base64 of its output}. */
  private static String output(Secret secret, String key, String instruction) throws Exception {
    String encoded = secret.getData().get(key);
    assertThat(encoded).as("%s of Secret %s", key, secret.getMetadata().getName()).isNotNull();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
      JsonNode outputs = JSON.readTree(in);
      return new String(Base64.getDecoder().decode(outputs.path(instruction).asText()), StandardCharsets.UTF_8);
    }
  }
}
