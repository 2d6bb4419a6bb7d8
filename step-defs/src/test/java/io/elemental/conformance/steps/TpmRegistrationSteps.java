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

/** Machines that attest with a TPM: manufactured ones, emulated ones, and the tpm-ca trust. */
public class TpmRegistrationSteps {
  private final ScenarioScope scope;
  private final Machines machines;
  private final RegistrationSteps registering;

  public TpmRegistrationSteps(ScenarioScope scope, Machines machines, RegistrationSteps registering) {
    this.scope = scope;
    this.machines = machines;
    this.registering = registering;
  }

  @Given("the MachineRegistration {string} authenticates machines by an emulated TPM seeded {long}")
  public void registrationWithEmulatedTpm(String name, long seed) {
    MachineRegistration mr = registering.newRegistration(name, "tpm", null, Map.of());
    mr.getSpec().config.elemental.registration.emulateTpm = true;
    mr.getSpec().config.elemental.registration.emulatedTpmSeed = seed;
    registering.createAndAwait(mr);
  }

  @When("the machine {string} with a TPM boots the seed image of {string}")
  public void machineWithTpmBoots(String machine, String registration) {
    registering.boot(SimulatedMachine.create(machine, scope.environment().settings().workDir(), UUID.randomUUID().toString(),
        RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms()).withTpm(), registration);
  }

  @When("the machine {string} without a TPM boots the seed image of {string}")
  public void machineWithoutTpmBoots(String machine, String registration) {
    registering.boot(SimulatedMachine.create(machine, scope.environment().settings().workDir(), UUID.randomUUID().toString(),
        RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms()), registration);
  }

  @Given("the namespace of {string} trusts the TPM manufacturer's CA")
  public void trustManufacturer(String registration) {
    trustEkCertificatesOf(registration, scope.environment().tpms().manufacturer().trustBundlePem());
  }

  @Given("the namespace of {string} trusts only another TPM manufacturer's CA")
  public void trustAnotherManufacturer(String registration) {
    trustEkCertificatesOf(registration, io.elemental.conformance.fixtures.tpm.SwtpmCa
        .create(scope.environment().settings().workDir().resolve("tpms/other-ca-" + System.nanoTime()))
        .trustBundlePem());
  }

  @Then("{string} is registered, with a MachineInventory whose TPM hash is the SHA-256 of its endorsement key")
  public void registeredWithTpmHash(String machine) {
    registering.assertRegistered(machine);
    String expected = machines.get(machine).tpmHash().orElseThrow();
    assertThat(registering.inventoryOf(machine).getSpec().tpmHash).isEqualTo(expected).matches("[0-9a-f]{64}");
    assertThat(registering.inventoryOf(machine).getSpec().machineHash).isNullOrEmpty();
  }

  private void trustEkCertificatesOf(String registration, String pem) {
    scope.client().secrets().inNamespace(scope.namespaceOf(registration)).resource(
        new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("tpm-ca").endMetadata()
            .withStringData(Map.of("tls.crt", pem)).build()).create();
  }

}
