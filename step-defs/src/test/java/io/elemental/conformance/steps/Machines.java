package io.elemental.conformance.steps;

import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.node.register.RegistrationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.picocontainer.Disposable;
import java.util.Optional;

/** The scenario's machines, by name, and how each one's last registration went. */
public class Machines implements Disposable {
  private final Map<String, SimulatedMachine> machines = new ConcurrentHashMap<>();
  private final Map<String, String> configs = new ConcurrentHashMap<>();
  private final Map<String, RegistrationException> failures = new ConcurrentHashMap<>();

  private final Map<String, String> seedOf = new ConcurrentHashMap<>();

  void add(SimulatedMachine machine) {
    machines.put(machine.name(), machine);
  }

  /** Which MachineRegistration's seed image the machine booted. */
  void bootedFrom(String machine, String registration) {
    seedOf.put(machine, registration);
  }

  String registrationOf(String machine) {
    return Optional.ofNullable(seedOf.get(machine))
        .orElseThrow(() -> new IllegalStateException("machine '" + machine + "' booted no seed image"));
  }

  java.util.Set<String> names() {
    return java.util.Set.copyOf(machines.keySet());
  }

  SimulatedMachine get(String name) {
    return Optional.ofNullable(machines.get(name))
        .orElseThrow(() -> new IllegalStateException("the scenario has no machine named '" + name + "'"));
  }

  /** Runs the machine's register client and remembers the outcome, success or refusal. */
  void register(String name) {
    configs.remove(name);
    failures.remove(name);
    try {
      configs.put(name, get(name).register());
    } catch (RegistrationException e) {
      failures.put(name, e);
    }
  }

  /** End of scenario: every machine powers off (its swtpm stops). */
  @Override
  public void dispose() {
    machines.values().forEach(SimulatedMachine::powerOff);
  }

  /** Evidence: what each simulated machine printed, as a VM's serial console would show it. */
  void attachConsolesTo(io.cucumber.java.Scenario scenario) {
    machines.values().stream().filter(m -> !m.console().isEmpty()).forEach(m ->
        scenario.attach(String.join("\n", m.console()) + "\n", "text/plain", "console of " + m.name()));
  }

  Optional<String> config(String name) {
    return Optional.ofNullable(configs.get(name));
  }

  Optional<RegistrationException> failure(String name) {
    return Optional.ofNullable(failures.get(name));
  }
}
