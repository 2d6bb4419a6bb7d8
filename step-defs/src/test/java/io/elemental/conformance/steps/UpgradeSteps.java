package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.elemental.conformance.api.v1beta1.ManagedOSVersion;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.harness.machine.SimOsImages;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.node.toolkit.host.CheckpointHold;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ManagedOSImages: the upgrades an operator orchestrates, and what their status reports. */
public class UpgradeSteps {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScenarioScope scope;
  private final Machines machines;
  private final RegistrationSteps registering;
  private final OsLifecycleSteps os;
  private final SystemAgentSteps agents;
  private final VirtualMachines vms;
  private final VirtualMachineInstallSteps vmSteps;

  public UpgradeSteps(ScenarioScope scope, Machines machines, RegistrationSteps registering, OsLifecycleSteps os,
      SystemAgentSteps agents, VirtualMachines vms, VirtualMachineInstallSteps vmSteps) {
    this.vms = vms;
    this.vmSteps = vmSteps;
    this.scope = scope;
    this.machines = machines;
    this.registering = registering;
    this.os = os;
    this.agents = agents;
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to {string}")
  public void upgradeTo(String name, String label, String value, String version) {
    create(name, label, value, os.image(version));
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to {string}, one at a time")
  public void upgradeOneAtATime(String name, String label, String value, String version) {
    create(name, label, value, os.image(version), moi -> moi.getSpec().concurrency = 1L);
  }

  @Given("the ManagedOSVersion {string} offers the OS image {string}")
  public void managedOsVersion(String name, String version) {
    ManagedOSVersion osVersion = new ManagedOSVersion();
    osVersion.getMetadata().setName(name);
    osVersion.getMetadata().setNamespace(scope.namespace());
    osVersion.setSpec(new ManagedOSVersion.Spec());
    osVersion.getSpec().version = version;
    osVersion.getSpec().type = "container";
    osVersion.getSpec().metadata = JSON.createObjectNode().put("upgradeImage", os.image(version));
    scope.client().resource(osVersion).create();
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to the ManagedOSVersion {string}")
  public void upgradeToVersion(String name, String label, String value, String osVersion) {
    create(name, label, value, null, moi -> moi.getSpec().managedOSVersionName = osVersion);
  }

  @Then("the ManagedOSImage {string} counts {int} machine(s) {word} and {int} {word}")
  public void counts(String name, int first, String firstState, int second, String secondState) {
    scope.waits().until("ManagedOSImage " + name + " to count " + first + " " + firstState + " and " + second + " "
        + secondState, Timeouts.RECONCILE, () -> status(name),
        s -> s != null && count(s, firstState) == first && count(s, secondState) == second);
  }

  /** The machine the rollout has picked (concurrency 1: exactly one is Upgrading) applies its plan. */
  @When("the agent of the machine {string} is upgrading applies its plan")
  public void upgradingMachineApplies(String name) throws Exception {
    List<String> upgrading = status(name).machines.stream().filter(m -> "Upgrading".equals(m.state))
        .map(m -> m.inventory).toList();
    assertThat(upgrading).as("machines ManagedOSImage %s is upgrading", name).hasSize(1);
    String machine = machines.names().stream()
        .filter(m -> registering.inventoryOf(m).getMetadata().getName().equals(upgrading.get(0))).findFirst()
        .orElseThrow(() -> new AssertionError("no machine of this scenario has the inventory " + upgrading.get(0)));
    agents.agentApplies(machine);
  }

  private static long count(ManagedOSImage.Status status, String state) {
    return status.machines.stream().filter(m -> state.equals(m.state)).count();
  }

  /** VMs pull from the host's registry at the guests' address of the host, which speaks plain HTTP. */
  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to the reference OS image {string}")
  public void upgradeVmsTo(String name, String label, String value, String version) {
    upgradeVms(name, label, value, scope.environment().virtualMachines().osImageForGuests(version, true));
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to the reference OS image {string} built to fail its health check")
  public void upgradeVmsToUnhealthy(String name, String label, String value, String version) {
    upgradeVms(name, label, value, scope.environment().virtualMachines().osImageForGuests(version, false));
  }

  /**
   * Reference only: the upgrade stops at {@code point} (one of the toolkit's checkpoints) and waits
   * for the power to be cut, so a VM's plug is pulled at an exact moment between two writes.
   */
  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to the reference OS image {string}, holding each upgrade at {string}")
  public void upgradeVmsHeldAt(String name, String label, String value, String version, String point) {
    upgradeVms(name, label, value, scope.environment().virtualMachines().osImageForGuests(version, true),
        new EnvVar(CheckpointHold.ENV, point, null));
  }

  private void upgradeVms(String name, String label, String value, String image, EnvVar... extra) {
    List<EnvVar> envs = new ArrayList<>();
    envs.add(new EnvVar("ELEMENTAL_INSECURE_REGISTRIES", GuestNetwork.HOST_FOR_GUESTS, null));
    envs.addAll(List.of(extra));
    create(name, label, value, image, moi -> {
      moi.getSpec().upgradeContainer = new ManagedOSImage.UpgradeContainer();
      moi.getSpec().upgradeContainer.envs = envs;
    });
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to an image the registry does not have")
  public void upgradeToMissing(String name, String label, String value) {
    create(name, label, value, scope.environment().simOsImages().missing("v9"));
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to an image on a registry that is down")
  public void upgradeToRegistryDown(String name, String label, String value) {
    create(name, label, value, SimOsImages.onRegistryThatIsDown("v2"));
  }

  @When("the ManagedOSImage {string} upgrades the machines labelled {string} = {string} to an image that is not an OS")
  public void upgradeToNotAnOs(String name, String label, String value) {
    create(name, label, value, scope.environment().simOsImages().notAnOs());
  }

  /** A simulated machine is armed to cut at {@code point}; a VM's upgrade, held there by its ManagedOSImage, is cut now. */
  @When("the plug of {string} is pulled when its upgrade reaches {string}")
  public void pullPlug(String machine, String point) {
    if (vms.has(machine)) {
      vmSteps.pullPlugWhenHeld(machine, point);
      return;
    }
    machines.get(machine).pullPlugAt(point);
  }

  @Then("the ManagedOSImage {string} reports {string} {word}")
  public void reportsMachine(String name, String machine, String state) {
    reportsMachineWith(name, machine, state, "");
  }

  @Then("the ManagedOSImage {string} reports {string} {word} with {string}")
  public void reportsMachineWith(String name, String machine, String state, String message) {
    String inventory = registering.inventoryOf(machine).getMetadata().getName();
    scope.waits().until("ManagedOSImage " + name + " to report " + inventory + " " + state, Timeouts.RECONCILE,
        () -> status(name),
        s -> s != null && s.machines.stream().anyMatch(m -> inventory.equals(m.inventory) && state.equals(m.state)
            && m.message != null && m.message.contains(message)));
  }

  @Then("the ManagedOSImage {string} becomes Ready with reason {string}")
  public void becomesReady(String name, String reason) {
    awaitReady(name, "True", reason, "");
  }

  @Then("the ManagedOSImage {string} becomes not Ready with reason {string}")
  public void becomesNotReady(String name, String reason) {
    awaitReady(name, "False", reason, "");
  }

  @Then("the ManagedOSImage {string} becomes not Ready with reason {string}, naming {string}")
  public void becomesNotReadyNaming(String name, String reason, String text) {
    awaitReady(name, "False", reason, text);
  }

  @Then("the plan of {string} has no upgrade")
  public void planHasNoUpgrade(String machine) throws Exception {
    String plan = agents.decodedData(machine).getOrDefault("plan", "{}");
    assertThat(JSON.readTree(plan).path("instructions").findValuesAsText("name")).doesNotContain("elemental-upgrade");
  }

  private void awaitReady(String name, String status, String reason, String text) {
    scope.waits().until("ManagedOSImage " + name + " Ready=" + status + " (" + reason + ")", Timeouts.RECONCILE,
        () -> ready(name), c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason())
            && c.getMessage() != null && c.getMessage().contains(text));
  }

  private Condition ready(String name) {
    ManagedOSImage.Status status = status(name);
    return status == null ? null
        : status.conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private ManagedOSImage.Status status(String name) {
    ManagedOSImage image = scope.client().resources(ManagedOSImage.class).inNamespace(scope.namespace()).withName(name)
        .get();
    return image == null ? null : image.getStatus();
  }

  private void create(String name, String label, String value, String image) {
    create(name, label, value, image, moi -> { });
  }

  private void create(String name, String label, String value, String image,
      java.util.function.Consumer<ManagedOSImage> customise) {
    ManagedOSImage moi = new ManagedOSImage();
    moi.getMetadata().setName(name);
    moi.getMetadata().setNamespace(scope.namespace());
    moi.setSpec(new ManagedOSImage.Spec());
    moi.getSpec().osImage = image;
    moi.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of(label, value)).build();
    customise.accept(moi);
    scope.client().resource(moi).create();
    // Its first reconcile has written the plans (or refused the image): the agents see it from now on.
    scope.waits().until("ManagedOSImage " + name + " to be reconciled", Timeouts.RECONCILE, () -> ready(name) != null);
  }
}
