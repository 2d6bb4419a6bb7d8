package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.api.registration.Message;
import io.elemental.conformance.api.registration.MessageType;
import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.api.registration.ProtocolVersion;
import io.elemental.conformance.node.register.ClientChannel;
import io.elemental.conformance.node.register.ClientTls;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A client that breaks the protocol on purpose, speaking raw frames to the endpoint. */
public class ProtocolAbuseSteps {
  private static final byte[] VERSION = ProtocolVersion.offer().encode();
  /** Scripts of frames sent after authentication; "version" marks where the Version answer is read. */
  private static final Map<String, List<byte[]>> EXCHANGES = Map.of(
      "a message of unknown type 13 after the version", List.of(VERSION, new byte[] {13}),
      "an Smbios message that is not JSON", List.of(VERSION, frame(MessageType.SMBIOS, "{not json")),
      "Labels that are not a map of strings", List.of(VERSION, frame(MessageType.LABELS, "{\"a\":{\"b\":1}}")),
      "a Config message, which only the operator sends", List.of(VERSION, frame(MessageType.CONFIG, "x: 1")),
      "an empty message after the version", List.of(VERSION, new byte[0]),
      "a Get before the version", List.of(Message.of(MessageType.GET).encode()),
      "the deprecated protocol version 4", List.of(new byte[] {5, 4}),
      "a version message of two bytes", List.of(new byte[] {5, 12, 12}),
      "nothing after the version", List.of(VERSION));

  private final ScenarioScope scope;
  private final MachineRegistrationSteps registrations;
  private final RegistrationSteps machines;
  private Message lastAnswer;
  private boolean closed;

  public ProtocolAbuseSteps(ScenarioScope scope, MachineRegistrationSteps registrations, RegistrationSteps machines) {
    this.scope = scope;
    this.registrations = registrations;
    this.machines = machines;
  }

  @When("a client with SMBIOS UUID {string} sends {exchange} to {string}")
  public void sends(String uuid, String exchange, String registration) throws Exception {
    List<byte[]> script = EXCHANGES.get(exchange);
    String url = registrations.status(registration).registrationURL;
    try (ClientChannel channel = ClientChannel.open(URI.create(url), "Bearer PLAIN" + uuid,
        ClientTls.trusting(scope.environment().rancher().setting("cacerts")), Duration.ofSeconds(15))) {
      assertThat(channel.read().type()).as("answer to authentication").isEqualTo(MessageType.READY);
      for (byte[] frame : script) {
        channel.writeRaw(frame);
        if (frame == VERSION) {
          assertThat(channel.read().type()).as("answer to Version").isEqualTo(MessageType.VERSION);
        }
      }
      // Whatever comes next is the endpoint's verdict on the exchange.
      lastAnswer = channel.read();
    } catch (ProtocolException e) {
      closed = true;
    }
  }

  @io.cucumber.java.ParameterType("[^\"]+?(?= to \")")
  public String exchange(String text) {
    if (!EXCHANGES.containsKey(text)) {
      throw new IllegalArgumentException("no such exchange in the spec's vocabulary: '" + text + "'; known: "
          + EXCHANGES.keySet());
    }
    return text;
  }

  @Then("the endpoint answers with an Error containing {string}")
  public void answersWithError(String text) {
    assertThat(lastAnswer).as("the endpoint's answer (connection closed without one: %s)", closed).isNotNull();
    assertThat(lastAnswer.type()).isEqualTo(MessageType.ERROR);
    assertThat(new String(lastAnswer.payload(), StandardCharsets.UTF_8)).startsWith("message:").contains(text);
  }

  @Then("the endpoint answers by closing the connection")
  public void answersByClosing() {
    assertThat(lastAnswer).as("an answer where the connection should have closed").isNull();
    assertThat(closed).isTrue();
  }

  @Then("a well-behaved machine still registers at {string}")
  public void wellBehavedMachineRegisters(String registration) {
    String machine = "bystander";
    machines.machineBoots(machine, UUID.randomUUID().toString(), "52:54:00:bb:00:01", registration);
    machines.namedLike(machine, "m-[0-9a-f-]{36}");
  }

  private static byte[] frame(MessageType type, String payload) {
    return Message.text(type, payload).encode();
  }
}
