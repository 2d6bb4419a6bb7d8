package io.elemental.conformance.steps;

import io.cucumber.java.Scenario;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.picocontainer.Disposable;

/**
 * The scenario's virtual machines, by name. At the end of the scenario, passed or failed, each
 * one's console log is attached to the report and the machine is destroyed with its disks and TPM.
 */
public class VirtualMachines implements Disposable {
  private final Map<String, VirtualMachine> machines = new LinkedHashMap<>();
  private final Map<String, String> inventoryNames = new LinkedHashMap<>();

  synchronized void add(VirtualMachine vm) {
    if (machines.containsKey(vm.name())) throw new IllegalStateException("the scenario already has a VM " + vm.name());
    machines.put(vm.name(), vm);
  }

  synchronized boolean has(String name) {
    return machines.containsKey(name);
  }

  synchronized VirtualMachine get(String name) {
    return Optional.ofNullable(machines.get(name))
        .orElseThrow(() -> new IllegalStateException("the scenario has no virtual machine named '" + name + "'"));
  }

  /** The inventory the machine's register client reported on its console. */
  synchronized void registeredAs(String vm, String inventory) {
    inventoryNames.put(vm, inventory);
  }

  synchronized Optional<String> inventoryName(String vm) {
    return Optional.ofNullable(inventoryNames.get(vm));
  }

  /** Every console log and QEMU log, whole, as evidence. */
  synchronized void attachLogsTo(Scenario scenario) {
    for (VirtualMachine vm : machines.values()) {
      for (String log : new String[] {"console.log", "qemu.log"}) {
        try {
          var file = vm.home().resolve(log);
          if (Files.exists(file)) {
            scenario.attach(Files.readAllBytes(file), "text/plain", vm.name() + " " + log);
          }
        } catch (IOException e) {
          scenario.log("could not attach " + log + " of " + vm.name() + ": " + e.getMessage());
        }
      }
    }
  }

  @Override
  public synchronized void dispose() {
    machines.values().forEach(VirtualMachine::close);
  }
}
