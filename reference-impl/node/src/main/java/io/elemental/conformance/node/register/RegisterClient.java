package io.elemental.conformance.node.register;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.registration.Message;
import io.elemental.conformance.api.registration.MessageType;
import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.api.registration.ProtocolVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The machine's side of registration (ELEMENTAL.md §3), in the real client's order: auth,
 * Version, Update when it registered before, Smbios and SystemDataV2, Annotations, Labels,
 * then Get, whose answer (the machine's configuration YAML) it returns.
 */
public final class RegisterClient {
  public static final String CLIENT_VERSION = "reference-0.1.0";
  private static final Duration SESSION = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final URI url;
  private final String caCert;
  private final boolean noSmbios;
  private final ClientAuth auth;
  private final MachineFacts facts;
  private final Path stateFile;

  public RegisterClient(URI url, String caCert, boolean noSmbios, ClientAuth auth, MachineFacts facts, Path stateFile) {
    this.url = url;
    this.caCert = caCert;
    this.noSmbios = noSmbios;
    this.auth = auth;
    this.facts = facts;
    this.stateFile = stateFile;
  }

  /**
   * Checks the endpoint with a plain GET before attesting. The whole session must fit in the
   * operator's 10 s; on a slow machine (a VM under emulation) a first session spent loading TLS
   * code would miss it, so the register CLI probes first.
   */
  public void probeEndpoint() throws RegistrationException {
    ClientChannel.probe(url, ClientTls.trusting(caCert), SESSION);
  }

  /** Registers (or re-registers) and returns the configuration the operator sent. */
  public String register() throws RegistrationException {
    RegistrationState state = RegistrationState.load(stateFile);
    try (ClientChannel channel = ClientChannel.open(url, auth.authorizationHeader(), ClientTls.trusting(caCert), SESSION)) {
      auth.answerChallenge(channel);
      expectReady(channel, "authentication");
      channel.write(ProtocolVersion.offer());
      int version = ProtocolVersion.read(expect(channel, MessageType.VERSION).payload());
      if (state.initialRegistration != null) {
        if (version < MessageType.UPDATE.code()) {
          throw new RegistrationException("the operator speaks protocol " + version + ", too old to update a registration");
        }
        channel.write(Message.of(MessageType.UPDATE));
        expectReady(channel, "update");
      } else {
        state.initialRegistration = Instant.now().toString();
      }
      if (!noSmbios) {
        sendJson(channel, MessageType.SMBIOS, facts.smbios());
        sendJson(channel, MessageType.SYSTEM_DATA_V2, facts.systemData());
      }
      if (version >= MessageType.ANNOTATIONS.code()) {
        sendJson(channel, MessageType.ANNOTATIONS, annotations());
      }
      if (!facts.labels().isEmpty()) {
        sendJson(channel, MessageType.LABELS, facts.labels());
      }
      channel.write(Message.of(MessageType.GET));
      String config = expect(channel, MessageType.CONFIG).payloadText();
      state.save(stateFile);
      return config;
    } catch (ProtocolException e) {
      throw new RegistrationException("registration failed: " + e.getMessage(), e);
    }
  }

  private Map<String, String> annotations() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put("reg-version", CLIENT_VERSION);
    annotations.put("auth", auth.method());
    Map<String, String> os = facts.osRelease();
    putIfPresent(annotations, "os.name", os.get("NAME"));
    putIfPresent(annotations, "os.version", os.get("VERSION"));
    putIfPresent(annotations, "os.version-id", os.get("VERSION_ID"));
    putIfPresent(annotations, "os.id", os.get("ID"));
    putIfPresent(annotations, "os.pretty-name", os.get("PRETTY_NAME"));
    putIfPresent(annotations, "os.image", os.get("IMAGE"));
    return annotations;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) map.put(key, value);
  }

  private static void sendJson(ClientChannel channel, MessageType type, Object data)
      throws ProtocolException, RegistrationException {
    try {
      channel.write(Message.text(type, JSON.writeValueAsString(data) + "\n"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    expectReady(channel, type.name());
  }

  private static void expectReady(ClientChannel channel, String step) throws ProtocolException, RegistrationException {
    expect(channel, MessageType.READY);
  }

  /** The next message, which must be {@code type}; an Error message becomes the operator's reason. */
  private static Message expect(ClientChannel channel, MessageType type) throws ProtocolException, RegistrationException {
    Message message = channel.read();
    if (message.type() == MessageType.ERROR) {
      throw new RegistrationException("registration refused: " + errorText(message));
    }
    if (message.type() != type) {
      throw new ProtocolException("expected " + type + " from the operator, got " + message.type());
    }
    return message;
  }

  private static String errorText(Message error) {
    try {
      JsonNode node = YAML.readTree(error.payload());
      return node != null && node.hasNonNull("message") ? node.get("message").asText() : error.payloadText();
    } catch (IOException e) {
      return error.payloadText();
    }
  }
}
