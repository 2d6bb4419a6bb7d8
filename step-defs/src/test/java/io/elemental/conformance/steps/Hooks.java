package io.elemental.conformance.steps;

import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.Set;

/** Per-scenario bookkeeping: the tier rule, a fresh namespace, evidence, clean-up. */
public class Hooks {
  private static final Set<String> TIERS = Set.of("@sim", "@vm");

  private final ScenarioScope scope;
  private final VirtualMachines virtualMachines;
  private final Machines machines;

  public Hooks(ScenarioScope scope, VirtualMachines virtualMachines, Machines machines) {
    this.scope = scope;
    this.virtualMachines = virtualMachines;
    this.machines = machines;
  }

  /** Every scenario must say which tier it runs on: the tag decides how it is scheduled. */
  @Before(order = 0)
  public void requireTierTag(Scenario scenario) {
    Collection<String> tags = scenario.getSourceTagNames();
    if (tags.stream().noneMatch(TIERS::contains)) {
      throw new IllegalStateException("scenario '" + scenario.getName() + "' (" + scenario.getUri()
          + ") has no tier tag. Fix: tag it, or its Feature, with @sim or @vm");
    }
  }

  @Before(order = 10)
  public void nameScope(Scenario scenario) {
    scope.name(scenario.getName());
    scenario.log("cluster: " + scope.environment().cluster().describe());
    scenario.log("implementation under test: " + scope.environment().sut().describe());
  }

  @After(order = 10)
  public void attachEvidence(Scenario scenario) {
    virtualMachines.attachLogsTo(scenario);
    machines.attachConsolesTo(scenario);
    if (scenario.isFailed()) attachOperatorLog(scenario);
    for (String namespace : scope.namespaces()) {
      var registrations = scope.client().resources(MachineRegistration.class).inNamespace(namespace).list().getItems();
      if (!registrations.isEmpty()) {
        scenario.attach(Serialization.asYaml(registrations), "text/plain",
            "MachineRegistrations in " + namespace);
      }
    }
  }

  /** The implementation's log since the scenario began is what explains most failures; the whole file, to be safe. */
  private void attachOperatorLog(Scenario scenario) {
    scope.environment().sut().log().ifPresent(log -> {
      try {
        scenario.attach(java.nio.file.Files.readAllBytes(log), "text/plain", "operator log (" + log.getFileName() + ")");
      } catch (java.io.IOException e) {
        scenario.log("the operator's log " + log + " is unreadable: " + e.getMessage());
      }
    });
  }

  @After(order = 0)
  public void cleanUp() {
    scope.cleanUp();
  }
}
