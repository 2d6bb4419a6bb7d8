package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.harness.support.Timeouts;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Many machines at once: a rack powering on, or clones sharing one identity. */
public class FleetSteps {
  private final ScenarioScope scope;
  private final Machines machines;
  private final RegistrationSteps registering;
  private final List<String> crowd = new java.util.concurrent.CopyOnWriteArrayList<>();

  public FleetSteps(ScenarioScope scope, Machines machines, RegistrationSteps registering) {
    this.scope = scope;
    this.machines = machines;
    this.registering = registering;
  }

  @When("{int} machines boot the seed image of {string} at the same time")
  public void manyMachinesBoot(int count, String registration) throws Exception {
    bootTogether(count, i -> UUID.randomUUID().toString(), registration);
  }

  @When("{int} machines with the same SMBIOS UUID {string} boot the seed image of {string} at the same time")
  public void twinsBoot(int count, String uuid, String registration) throws Exception {
    bootTogether(count, i -> uuid, registration);
  }

  @Then("all {int} machines are registered, each with a MachineInventory of its own")
  public void allRegisteredSeparately(int count) {
    crowd.forEach(registering::assertRegistered);
    assertThat(registering.inventories()).hasSize(count);
    assertThat(crowd.stream().map(m -> registering.inventoryOf(m).getMetadata().getUid()).distinct()).hasSize(count);
  }

  @Then("all {int} machines are registered, sharing one MachineInventory")
  public void allRegisteredTogether(int count) {
    assertThat(crowd).hasSize(count);
    crowd.forEach(registering::assertRegistered);
    assertThat(registering.inventories()).hasSize(1);
  }

  /** Boots machines on parallel threads, all released at once, as a rack powering on. */
  private void bootTogether(int count, java.util.function.IntFunction<String> uuids, String registration)
      throws Exception {
    String seed = registering.seedConfig(registration);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        SimulatedMachine machine = SimulatedMachine.create("machine-" + i, scope.environment().settings().workDir(),
            uuids.apply(i), RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms());
        machine.bootSeedImageWith(seed);
        machines.add(machine);
        crowd.add(machine.name());
        done.add(pool.submit(() -> {
          start.await();
          machines.register(machine.name());
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) f.get(scope.waits().scaled(Timeouts.RECONCILE).toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

}
