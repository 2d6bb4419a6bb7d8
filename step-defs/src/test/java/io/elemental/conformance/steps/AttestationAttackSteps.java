package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.registration.MessageType;
import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.attestation.ChallengeAnswer;
import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.node.register.ClientChannel;
import io.elemental.conformance.node.register.ClientTls;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.tpm.TpmAuthentication;
import io.elemental.conformance.node.tpm.TpmClient;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.picocontainer.Disposable;

/** Clients that try to pass TPM attestation without holding the TPM they claim. */
public class AttestationAttackSteps implements Disposable {
  private static final List<String> ATTACKS = List.of(
      "the endorsement key of one TPM and the attestation key of another",
      "a wrong secret as the answer to the challenge",
      "the answer to an earlier challenge, replayed",
      "a token that is not base64 JSON");

  private final ScenarioScope scope;
  private final MachineRegistrationSteps registrations;
  private final TpmRegistrationSteps machines;
  private final List<Swtpm> tpms = new ArrayList<>();
  private boolean readyReceived;
  private String refusal;

  public AttestationAttackSteps(ScenarioScope scope, MachineRegistrationSteps registrations, TpmRegistrationSteps machines) {
    this.scope = scope;
    this.registrations = registrations;
    this.machines = machines;
  }

  @ParameterType("the endorsement key of one TPM and the attestation key of another|a wrong secret as the answer to the challenge|the answer to an earlier challenge, replayed|a token that is not base64 JSON")
  public String attack(String text) {
    return text;
  }

  @When("a client tries to register at {string} presenting {attack}")
  public void tries(String registration, String attack) throws Exception {
    URI url = URI.create(registrations.status(registration).registrationURL);
    TpmClient mine = new TpmClient(tpm().tctiConfig());
    TpmAuthentication honest = mine.authenticate();
    switch (ATTACKS.indexOf(attack)) {
      case 0 -> {
        TpmAuthentication other = new TpmClient(tpm().tctiConfig()).authenticate();
        String forged = honest.token().withAk(other.token().ak()).toHeader();
        attempt(url, forged, challenge -> {
          try {
            return other.answer(challenge);
          } catch (Exception theTpmCannotOpenIt) {
            return randomAnswer();
          }
        });
      }
      case 1 -> attempt(url, honest.authorizationHeader(), challenge -> randomAnswer());
      case 2 -> {
        byte[][] earlier = new byte[1][];
        attempt(url, honest.authorizationHeader(), challenge -> earlier[0] = honest.answer(challenge));
        assertThat(readyReceived).as("the honest first attempt is accepted").isTrue();
        readyReceived = false;
        // The first session stopped right after Ready: nothing was registered.
        TpmAuthentication again = mine.authenticate();
        attempt(url, again.authorizationHeader(), challenge -> earlier[0]);
      }
      case 3 -> attempt(url, "Bearer TPM!!not-base64!!", challenge -> randomAnswer());
      default -> throw new IllegalArgumentException(attack);
    }
  }

  @Then("the endpoint refuses it by closing the connection before Ready")
  public void closedBeforeReady() {
    assertThat(readyReceived).as("Ready received after a failed attestation").isFalse();
    assertThat(refusal).as("refusal").contains("closed");
  }

  @Then("the endpoint refuses it with HTTP {int}")
  public void refusedWithStatus(int status) {
    assertThat(refusal).contains("HTTP " + status);
  }

  @Then("a machine with a TPM still registers at {string}")
  public void honestMachineRegisters(String registration) {
    machines.machineWithTpmBoots("honest-" + UUID.randomUUID().toString().substring(0, 8), registration);
    assertThat(scope.client().resources(io.elemental.conformance.api.v1beta1.MachineInventory.class)
        .inNamespace(scope.namespace()).list().getItems()).hasSize(1);
  }

  /** One session: the challenge in, whatever {@code answer} makes of it out, then Ready or not. */
  private void attempt(URI url, String header, Answer answer) throws Exception {
    refusal = null;
    try (ClientChannel channel = ClientChannel.open(url, header,
        ClientTls.trusting(scope.environment().rancher().setting("cacerts")), Duration.ofSeconds(10))) {
      channel.writeRaw(answer.to(channel.readRaw()));
      readyReceived = channel.read().type() == MessageType.READY;
    } catch (ProtocolException e) {
      refusal = e.getMessage();
    } catch (RegistrationException e) {
      refusal = e.getMessage();
    }
  }

  private interface Answer {
    byte[] to(byte[] challenge) throws Exception;
  }

  private static byte[] randomAnswer() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new ChallengeAnswer(secret).toJson();
  }

  private Swtpm tpm() {
    Swtpm tpm = scope.environment().tpms().forMachine("attacker");
    tpms.add(tpm);
    return tpm;
  }

  @Override
  public void dispose() {
    tpms.forEach(Swtpm::close);
  }
}
