package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.node.agent.PlanApplier;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Plans written into a machine's plan Secret, its agent applying them, and what both report. */
public class SystemAgentSteps {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScenarioScope scope;
  private final Machines machines;
  private final RegistrationSteps registering;
  /** Upgrade, reboot, and the pass after the reboot that finds the new system running: three; room for more. */
  private static final int MAX_PASSES = 6;
  private final Map<String, String> plans = new HashMap<>();
  private final Map<String, String> versionBeforeRun = new HashMap<>();
  private final Map<String, PlanApplier.Result> lastRun = new HashMap<>();

  private final VirtualMachines virtualMachines;

  public SystemAgentSteps(ScenarioScope scope, Machines machines, RegistrationSteps registering,
      VirtualMachines virtualMachines) {
    this.scope = scope;
    this.machines = machines;
    this.registering = registering;
    this.virtualMachines = virtualMachines;
  }

  @When("the plan of {string} writes {string} containing {string} and runs {string} as {string}")
  public void planWithFileAndInstruction(String machine, String path, String content, String script, String name) {
    ObjectNode plan = JSON.createObjectNode();
    plan.putArray("files").addObject().put("path", path)
        .put("content", Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)))
        .put("permissions", "0644");
    addInstruction(plan.putArray("instructions"), script, name);
    setPlan(machine, plan);
  }

  @When("the plan of {string} runs {string} as {string}")
  public void planWithInstruction(String machine, String script, String name) {
    ObjectNode plan = JSON.createObjectNode();
    addInstruction(plan.putArray("instructions"), script, name);
    setPlan(machine, plan);
  }

  @When("the agent of {string} runs")
  public void agentRuns(String machine) throws Exception {
    registering.assertRegistered(machine);
    versionBeforeRun.put(machine, planSecret(machine).getMetadata().getResourceVersion());
    PlanApplier.Result result = machines.get(machine).agentPass()
        .orElseThrow(() -> new AssertionError("the plan of " + machine + " rebooted it"));
    lastRun.put(machine, result);
  }

  @When("the agent of {string} runs again")
  public void agentRunsAgain(String machine) throws Exception {
    assertThat(lastRun).as("an agent of %s ran before", machine).containsKey(machine);
    agentRuns(machine);
  }

  /**
   * Passes of the machine's agent until its plan Secret records the current plan as applied or
   * failed; a plan that reboots the machine restarts the agent, as on a real machine.
   */
  @When("the agent of {string} applies its plan")
  public void agentApplies(String machine) throws Exception {
    registering.assertRegistered(machine);
    String secretName = planSecret(machine).getMetadata().getName();
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      machines.get(machine).agentPass();
      if (machines.get(machine).isOff()) return;
      Secret secret = scope.client().secrets().inNamespace(scope.namespace()).withName(secretName).get();
      if (secret == null) return; // gone with its inventory (a reset plan lets the inventory go once applied)
      Map<String, String> data = decoded(secret);
      String checksum = RegistrationSteps.sha256(data.getOrDefault("plan", ""));
      if (checksum.equals(data.get("applied-checksum")) || checksum.equals(data.get("failed-checksum"))) return;
    }
    throw new AssertionError("the agent of " + machine + " did not settle its plan in " + MAX_PASSES + " passes;"
        + " its console:\n" + String.join("\n", machines.get(machine).console()));
  }

  @Then("{string} has the file {string} containing {string}")
  public void hasFile(String machine, String path, String content) throws Exception {
    if (virtualMachines.has(machine)) {
      var result = virtualMachines.get(machine).shell().run("cat " + path, java.time.Duration.ofSeconds(30));
      assertThat(result.exitCode()).as("cat %s in %s: %s", path, machine, result).isZero();
      assertThat(result.stdout()).isEqualTo(content);
      return;
    }
    assertThat(Files.readString(machines.get(machine).root().resolve(path.replaceFirst("^/+", ""))))
        .isEqualTo(content);
  }

  /** Whatever its plan is now (an operator wrote it), a VM's own agent reports it applied. */
  @Then("the system agent of {string} reports its plan applied")
  public void agentReportsApplied(String machine) {
    scope.waits().until("the agent of " + machine + " to report its plan applied", Timeouts.VM_AGENT_PASS,
        () -> decodedData(machine), data -> data.containsKey("plan")
            && RegistrationSteps.sha256(data.get("plan")).equals(data.get("applied-checksum")));
  }

  @Then("the system agent of {string} reports its plan failed")
  public void agentReportsFailed(String machine) {
    scope.waits().until("the agent of " + machine + " to report its plan failed", Timeouts.VM_AGENT_PASS,
        () -> decodedData(machine), data -> data.containsKey("plan")
            && RegistrationSteps.sha256(data.get("plan")).equals(data.get("failed-checksum")));
  }

  /** A machine's own agent (a VM's, every 5 s) applies the plan in its own time. */
  @Then("the system agent of {string} applies the plan, recording the output of {string} = {string}")
  public void agentOfItsOwnApplies(String machine, String instruction, String output) throws Exception {
    String checksum = RegistrationSteps.sha256(plans.get(machine));
    scope.waits().until("the agent of " + machine + " to apply plan " + checksum, Timeouts.VM_AGENT_PASS,
        () -> decodedData(machine), data -> checksum.equals(data.get("applied-checksum"))
            || checksum.equals(data.get("failed-checksum")));
    recordedApplied(machine, instruction, output);
  }

  @Then("the plan Secret of {string} records the plan as applied, with the output of {string} = {string}")
  public void recordedApplied(String machine, String instruction, String output) throws Exception {
    Map<String, String> data = decodedData(machine);
    assertThat(data.get("applied-checksum")).isEqualTo(RegistrationSteps.sha256(plans.get(machine)));
    assertThat(data.get("failure-count")).isIn(null, "", "0");
    assertThat(outputOf(machine, "applied-output", instruction)).isEqualTo(output);
  }

  @Then("the plan Secret of {string} records the plan as failed {int} time(s), with the output of {string} = {string}")
  public void recordedFailed(String machine, int times, String instruction, String output) throws Exception {
    Map<String, String> data = decodedData(machine);
    assertThat(data.get("failed-checksum")).isEqualTo(RegistrationSteps.sha256(plans.get(machine)));
    assertThat(data.get("failure-count")).isEqualTo(Integer.toString(times));
    assertThat(data.get("applied-checksum")).isNotEqualTo(data.get("failed-checksum"));
    assertThat(outputOf(machine, "failed-output", instruction)).isEqualTo(output);
  }

  @Then("the agent of {string} left its plan Secret as it was")
  public void leftUnchanged(String machine) {
    assertThat(planSecret(machine).getMetadata().getResourceVersion())
        .as("resourceVersion of the plan Secret of %s (the agent's last pass: %s)", machine,
            lastRun.get(machine).action())
        .isEqualTo(versionBeforeRun.get(machine));
  }

  @Then("the MachineInventory of {string} becomes Ready with reason {string}")
  public void inventoryReady(String machine, String reason) {
    awaitReadyCondition(machine, "True", reason);
  }

  @Then("the MachineInventory of {string} becomes not Ready with reason {string}")
  public void inventoryNotReady(String machine, String reason) {
    awaitReadyCondition(machine, "False", reason);
  }

  private void awaitReadyCondition(String machine, String status, String reason) {
    String name = registering.inventoryOf(machine).getMetadata().getName();
    scope.waits().until("MachineInventory " + name + " Ready=" + status + " (" + reason + ")", Timeouts.RECONCILE,
        () -> readyCondition(name), c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  private Condition readyCondition(String inventory) {
    MachineInventory current = scope.client().resources(MachineInventory.class).inNamespace(scope.namespace())
        .withName(inventory).get();
    if (current == null || current.getStatus() == null) return null;
    return current.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private static void addInstruction(ArrayNode instructions, String script, String name) {
    ObjectNode instruction = instructions.addObject().put("name", name).put("command", "sh").put("saveOutput", true);
    instruction.putArray("args").add("-c").add(script);
  }

  /** As Rancher writes a plan: the Secret's data, replaced by an administrator. */
  private void setPlan(String machine, ObjectNode plan) {
    String json = plan.toString();
    plans.put(machine, json);
    Secret secret = planSecret(machine);
    secret.getData().put("plan", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    scope.client().secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).update();
  }

  Secret planSecret(String machine) {
    MachineInventory inventory = registering.inventoryOf(machine);
    return scope.waits().until("plan Secret " + inventory.getMetadata().getName(), Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(inventory.getMetadata().getNamespace())
            .withName(inventory.getMetadata().getName()).get(), s -> s != null && s.getData() != null);
  }

  Map<String, String> decodedData(String machine) {
    return decoded(planSecret(machine));
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new HashMap<>();
    secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v),
        StandardCharsets.ISO_8859_1)));
    return data;
  }

  /** system-agent's output format: gzip of JSON {instruction name: base64 of its output}. */
  private String outputOf(String machine, String key, String instruction) throws Exception {
    String encoded = planSecret(machine).getData().get(key);
    assertThat(encoded).as("%s of the plan Secret of %s", key, machine).isNotNull();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
      JsonNode outputs = JSON.readTree(in);
      return new String(Base64.getDecoder().decode(outputs.path(instruction).asText()), StandardCharsets.UTF_8).strip();
    }
  }
}
