package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.Config;
import io.elemental.conformance.api.v1beta1.ElementalConfig;
import io.elemental.conformance.api.v1beta1.InstallConfig;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.api.v1beta1.ResetConfig;
import io.elemental.conformance.harness.machine.SeedImages;
import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.harness.support.Timeouts;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** Machines registering: seed image configuration, the register client, the inventories it leaves. */
public class RegistrationSteps {
  private static final YAMLMapper YAML = new YAMLMapper();

  private final ScenarioScope scope;
  private final Machines machines;
  private final VirtualMachines virtualMachines;
  private final MachineRegistrationSteps registrations;

  public RegistrationSteps(ScenarioScope scope, Machines machines, VirtualMachines virtualMachines,
      MachineRegistrationSteps registrations) {
    this.scope = scope;
    this.machines = machines;
    this.virtualMachines = virtualMachines;
    this.registrations = registrations;
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}")
  public void registrationWithAuth(String name, String auth) {
    createReady(name, auth, null, Map.of());
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}, names them {string} and labels them {string} = {string}")
  public void registrationWithTemplates(String name, String auth, String nameTemplate, String label, String labelTemplate) {
    createReady(name, auth, nameTemplate, Map.of(label, labelTemplate));
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}, labels them {string} = {string} and installs to {string}")
  public void registrationThatInstalls(String name, String auth, String label, String value, String device) {
    createInstalling(name, auth, label, value, device, mr -> { });
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}, labels them {string} = {string}, installs to {string} and powers off")
  public void registrationThatInstallsAndPowersOff(String name, String auth, String label, String value, String device) {
    createInstalling(name, auth, label, value, device, mr -> {
      mr.getSpec().config.elemental.install.reboot = null;
      mr.getSpec().config.elemental.install.poweroff = true;
    });
  }

  /** {@code rules}: {@code Key Operator value,value} rules separated by {@code ;}, e.g. {@code Size Gt 10Gi; Name NotIn vda}. */
  @Given("the MachineRegistration {string} authenticates machines by {string}, labels them {string} = {string} and installs to the disk selected by {string}")
  public void registrationWithDeviceSelector(String name, String auth, String label, String value, String rules) {
    createInstalling(name, auth, label, value, null, mr -> mr.getSpec().config.elemental.install.deviceSelector =
        Arrays.stream(rules.split(";")).map(String::strip).map(RegistrationSteps::selectorRule).toList());
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}, labels them {string} = {string}, installs to {string} and carries the cloud-config:")
  public void registrationWithCloudConfig(String name, String auth, String label, String value, String device,
      String cloudConfig) {
    createInstalling(name, auth, label, value, device, mr -> mr.getSpec().config.cloudConfig = yamlObject(cloudConfig));
  }

  @Given("the MachineRegistration {string} authenticates machines by {string}, labels them {string} = {string}, installs to {string} and resets machines whose inventory is deleted")
  public void registrationThatInstallsAndResets(String name, String auth, String label, String value, String device) {
    createInstalling(name, auth, label, value, device, mr -> {
      mr.getSpec().config.elemental.reset = new ResetConfig();
      mr.getSpec().config.elemental.reset.enabled = true;
      mr.getSpec().config.elemental.reset.resetPersistent = true;
      mr.getSpec().config.elemental.reset.resetOem = true;
    });
  }

  /** A registration whose machines install to {@code device} and reboot, changed by {@code adjust}. */
  private void createInstalling(String name, String auth, String label, String value, String device,
      Consumer<MachineRegistration> adjust) {
    MachineRegistration mr = newRegistration(name, auth, null, Map.of(label, value));
    mr.getSpec().config.elemental.install = new InstallConfig();
    mr.getSpec().config.elemental.install.device = device;
    mr.getSpec().config.elemental.install.reboot = true;
    adjust.accept(mr);
    createAndAwait(mr);
  }

  private static InstallConfig.DeviceSelectorRequirement selectorRule(String rule) {
    String[] parts = rule.split("\\s+");
    if (parts.length != 3) {
      throw new IllegalArgumentException("a device selector rule is 'Key Operator value[,value]': '" + rule + "'");
    }
    InstallConfig.DeviceSelectorRequirement requirement = new InstallConfig.DeviceSelectorRequirement();
    requirement.key = parts[0];
    requirement.operator = parts[1];
    requirement.values = List.of(parts[2].split(","));
    return requirement;
  }

  private static ObjectNode yamlObject(String yaml) {
    try {
      return (ObjectNode) new YAMLMapper().readTree(yaml);
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("the scenario's cloud-config is not a YAML map: " + e.getMessage(), e);
    }
  }

  @When("the MachineInventory of {string} is deleted while the machine runs")
  public void inventoryDeletedWhileRunning(String machine) {
    MachineInventory inventory = inventoryOf(machine);
    scope.remember("inventory uid of " + machine, inventory.getMetadata().getUid());
    scope.remember("inventory name of " + machine, inventory.getMetadata().getName());
    scope.client().resource(inventory).delete();
  }

  @Then("the deleted MachineInventory of {string} is gone")
  public void deletedInventoryGone(String machine) {
    String name = scope.recall("inventory name of " + machine);
    String uid = scope.recall("inventory uid of " + machine);
    scope.waits().until("MachineInventory " + name + " (uid " + uid + ") to be gone", Timeouts.RECONCILE, () -> {
      MachineInventory current = scope.client().resources(MachineInventory.class).inNamespace(scope.namespace())
          .withName(name).get();
      return current == null || !uid.equals(current.getMetadata().getUid());
    });
  }

  @Then("{string} registered again as a new MachineInventory")
  public void registeredAsNew(String machine) {
    assertRegistered(machine);
    assertThat(inventories()).hasSize(1);
    assertThat(inventoryOf(machine).getMetadata().getUid()).isNotEqualTo(scope.recall("inventory uid of " + machine));
  }

  @When("the machine {string} with SMBIOS UUID {string} and MAC {string} boots the seed image of {string}")
  public void machineBoots(String machine, String uuid, String mac, String registration) {
    boot(SimulatedMachine.create(machine, scope.environment().settings().workDir(), uuid, mac, Map.of(), Map.of(), scope.environment().tpms()),
        registration);
  }

  @When("the machine {string} with serial number {string} boots the seed image of {string}")
  public void machineWithSerialBoots(String machine, String serial, String registration) {
    boot(SimulatedMachine.create(machine, scope.environment().settings().workDir(), UUID.randomUUID().toString(),
        randomMac(), Map.of("Serial Number", serial), Map.of(), scope.environment().tpms()), registration);
  }

  @Given("the MachineRegistration {string} authenticates machines by {string} and labels them:")
  public void registrationWithLabels(String name, String auth, io.cucumber.datatable.DataTable labels) {
    Map<String, String> templates = new java.util.LinkedHashMap<>();
    labels.asMaps().forEach(row -> templates.put(row.get("label"), row.get("template")));
    createReady(name, auth, null, templates);
  }

  @When("the machine {string} with SKU number {string} boots the seed image of {string}")
  public void machineWithSkuBoots(String machine, String sku, String registration) {
    boot(SimulatedMachine.create(machine, scope.environment().settings().workDir(), UUID.randomUUID().toString(),
        randomMac(), Map.of("SKU Number", sku), Map.of(), scope.environment().tpms()), registration);
    inventoryOf(machine).getMetadata().getLabels()
        .forEach((key, value) -> scope.remember("first label " + key + " of " + machine, value));
  }

  @When("the SKU number of {string} becomes {string} and it registers again")
  public void skuChanges(String machine, String sku) {
    machines.get(machine).setSystemInformation("SKU Number", sku);
    registersAgain(machine);
    assertRegistered(machine);
  }

  @Then("the label {string} of the MachineInventory of {string} is the one it got first")
  public void labelUnchanged(String label, String machine) {
    assertThat(inventoryOf(machine).getMetadata().getLabels())
        .containsEntry(label, scope.recall("first label " + label + " of " + machine));
  }

  @When("{string} registers again")
  public void registersAgain(String machine) {
    findInventory(machine).ifPresent(i -> scope.remember("inventory uid of " + machine, i.getMetadata().getUid()));
    machines.register(machine);
  }

  @When("the MachineInventory of {string} is deleted")
  public void inventoryDeleted(String machine) {
    MachineInventory inventory = inventoryOf(machine);
    scope.client().resource(inventory).delete();
    scope.waits().until("MachineInventory " + inventory.getMetadata().getName() + " to be gone", Timeouts.RECONCILE,
        () -> scope.client().resource(inventory).get() == null);
    scope.remember("inventory uid of " + machine, inventory.getMetadata().getUid());
  }

  @When("a machine registers at the URL of {string} with the token replaced by {string}")
  public void registersWithWrongToken(String registration, String token) {
    String yaml = seedConfig(registration);
    String url = registrations.status(registration).registrationURL;
    String wrongUrl = url.substring(0, url.lastIndexOf('/') + 1) + token;
    SimulatedMachine machine = SimulatedMachine.create("stranger", scope.environment().settings().workDir(),
        UUID.randomUUID().toString(), randomMac(), Map.of(), Map.of(), scope.environment().tpms());
    machine.bootSeedImageWith(yaml.replace(url, wrongUrl));
    machines.add(machine);
    machines.register("stranger");
  }

  @Then("{string} is registered, with a MachineInventory whose machine hash is the SHA-256 of {string}")
  public void registeredWithHash(String machine, String id) {
    assertRegistered(machine);
    assertThat(inventoryOf(machine).getSpec().machineHash).isEqualTo(sha256(id));
  }

  @Then("the MachineInventory of {string} is annotated {string} = {string}")
  public void annotated(String machine, String key, String value) {
    assertThat(inventoryOf(machine).getMetadata().getAnnotations()).containsEntry(key, value);
  }

  /** The plan Secret is the operator's doing after the inventory exists: waited for. */
  @Then("the MachineInventory of {string} has an empty plan Secret")
  public void emptyPlan(String machine) {
    MachineInventory inventory = inventoryOf(machine);
    Secret plan = scope.waits().until("plan Secret " + inventory.getMetadata().getName(), Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(inventory.getMetadata().getNamespace())
            .withName(inventory.getMetadata().getName()).get(), s -> s != null);
    assertThat(plan.getType()).isEqualTo("elemental.cattle.io/plan");
    assertThat(plan.getMetadata().getAnnotations()).containsEntry("elemental.cattle.io/plan.type", "empty");
    assertThat(new String(Base64.getDecoder().decode(plan.getData().get("plan")), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(plan.getMetadata().getOwnerReferences()).anySatisfy(ref -> {
      assertThat(ref.getKind()).isEqualTo("MachineInventory");
      assertThat(ref.getUid()).isEqualTo(inventory.getMetadata().getUid());
    });
  }

  @Then("the configuration {string} received names its plan Secret and the registration's token for its agent")
  public void configurationNamesPlan(String machine) throws Exception {
    MachineInventory inventory = inventoryOf(machine);
    JsonNode agent = YAML.readTree(machines.config(machine).orElseThrow()).path("elemental").path("system-agent");
    assertThat(agent.path("secret-name").asText()).isEqualTo(inventory.getMetadata().getName());
    assertThat(agent.path("secret-namespace").asText()).isEqualTo(inventory.getMetadata().getNamespace());
    assertThat(agent.path("url").asText()).endsWith("/k8s/clusters/local");
    Secret token = scope.client().secrets().inNamespace(inventory.getMetadata().getNamespace())
        .withName(machines.registrationOf(machine) + "-token").get();
    assertThat(agent.path("token").asText())
        .isEqualTo(new String(Base64.getDecoder().decode(token.getData().get("token")), StandardCharsets.UTF_8));
  }

  @Then("the MachineInventory of {string} is named like {string}")
  public void namedLike(String machine, String pattern) {
    assertRegistered(machine);
    assertThat(inventoryOf(machine).getMetadata().getName()).matches(pattern);
  }

  @Then("the MachineInventory of {string} has the label {string} = {string}")
  public void hasLabel(String machine, String label, String value) {
    assertThat(inventoryOf(machine).getMetadata().getLabels()).containsEntry(label, value);
  }

  @Then("the MachineInventory of {string} has the label {string} absent")
  public void labelAbsent(String machine, String label) {
    assertThat(inventoryOf(machine).getMetadata().getLabels()).doesNotContainKey(label);
  }

  @Then("{string} still has one and the same MachineInventory")
  public void sameInventory(String machine) {
    assertRegistered(machine);
    assertThat(inventories()).hasSize(1);
    assertThat(inventoryOf(machine).getMetadata().getUid()).isEqualTo(scope.recall("inventory uid of " + machine));
  }

  @Then("{string} fails to register with {string}")
  public void failsWith(String machine, String reason) {
    assertThat(machines.config(machine)).as("configuration received by %s", machine).isEmpty();
    assertThat(machines.failure(machine)).as("registration failure of %s", machine).isPresent();
    assertThat(machines.failure(machine).get().getMessage()).contains(reason);
  }

  @Then("it fails to register with {string}")
  public void strangerFails(String reason) {
    failsWith("stranger", reason);
  }

  @Then("no MachineInventory exists in the namespace of {string}")
  public void noInventory(String registration) {
    assertThat(scope.client().resources(MachineInventory.class).inNamespace(scope.namespaceOf(registration)).list()
        .getItems()).isEmpty();
  }

  void createReady(String name, String auth, String nameTemplate, Map<String, String> labels) {
    createAndAwait(newRegistration(name, auth, nameTemplate, labels));
  }

  MachineRegistration newRegistration(String name, String auth, String nameTemplate, Map<String, String> labels) {
    MachineRegistration mr = new MachineRegistration();
    mr.getMetadata().setName(name);
    mr.getMetadata().setNamespace(scope.namespace());
    mr.setSpec(new MachineRegistration.Spec());
    mr.getSpec().machineName = nameTemplate;
    mr.getSpec().machineInventoryLabels = labels.isEmpty() ? null : labels;
    mr.getSpec().config = new Config();
    mr.getSpec().config.elemental = new ElementalConfig();
    mr.getSpec().config.elemental.registration = new RegistrationConfig();
    mr.getSpec().config.elemental.registration.auth = auth;
    return mr;
  }

  void createAndAwait(MachineRegistration mr) {
    String name = mr.getMetadata().getName();
    scope.client().resource(mr).create();
    scope.registrationLivesIn(name, scope.namespace());
    registrations.becomesReady(name, "SuccessfullyCreated");
    // The agent token must exist before machines can be answered.
    scope.waits().until("the token of Secret " + name + "-token", Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(scope.namespace()).withName(name + "-token").get(),
        s -> s != null && s.getData() != null && s.getData().containsKey("token"));
  }

  void boot(SimulatedMachine machine, String registration) {
    machine.bootSeedImageWith(seedConfig(registration));
    machines.add(machine);
    machines.bootedFrom(machine.name(), registration);
    machines.register(machine.name());
  }

  String registrationUrl(String registration) {
    return registrations.status(registration).registrationURL;
  }

  /** The registration URL's YAML, as a seed image build fetches it. */
  String seedConfig(String registration) {
    MachineRegistration.Status status = registrations.status(registration);
    HttpResponse<String> response = SeedImages.get(status.registrationURL,
        scope.environment().rancher().setting("cacerts"));
    assertThat(response.statusCode()).as("GET %s", status.registrationURL).isEqualTo(200);
    return response.body();
  }

  void assertRegistered(String machine) {
    machines.failure(machine).ifPresent(e -> {
      throw new AssertionError(machine + " did not register: " + e.getMessage(), e);
    });
    assertThat(machines.config(machine)).as("configuration received by %s", machine).isPresent();
  }

  List<MachineInventory> inventories() {
    return scope.client().resources(MachineInventory.class).inNamespace(scope.namespace()).list().getItems();
  }

  /** The inventory of a machine, found by its identity, as the operator finds it. */
  MachineInventory inventoryOf(String machine) {
    return findInventory(machine).orElseThrow(() -> new AssertionError("no MachineInventory for machine " + machine
        + " in " + scope.namespace()));
  }

  java.util.Optional<MachineInventory> inventoryIfAny(String machine) {
    return findInventory(machine);
  }

  private java.util.Optional<MachineInventory> findInventory(String machine) {
    if (virtualMachines.has(machine)) {
      // A VM's register client names its inventory on the console (its configuration's plan Secret).
      return virtualMachines.inventoryName(machine).flatMap(name -> inventories().stream()
          .filter(i -> name.equals(i.getMetadata().getName())).findFirst());
    }
    SimulatedMachine m = machines.get(machine);
    List<String> hashes = List.of(sha256(m.plainId("sys-uuid")), sha256(m.plainId("mac")));
    java.util.Optional<String> tpmHash = m.tpmHash();
    return inventories().stream().filter(i -> i.getSpec() != null && (i.getSpec().machineHash != null && hashes.contains(i.getSpec().machineHash)
        || tpmHash.isPresent() && tpmHash.get().equals(i.getSpec().tpmHash))).findFirst();
  }

  static String randomMac() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
