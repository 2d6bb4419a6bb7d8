package io.elemental.conformance.operator.server;

import static io.elemental.conformance.api.registration.MessageType.ERROR;
import static io.elemental.conformance.api.registration.MessageType.READY;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.api.registration.Message;
import io.elemental.conformance.api.registration.MessageType;
import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.api.registration.ProtocolVersion;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.inventory.InventoryRegistrar;
import io.elemental.conformance.operator.inventory.MachineIdentity;
import io.elemental.conformance.operator.inventory.RegistrationRequest;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of one registration (ELEMENTAL.md §3): authenticate, agree on a
 * version, take what the machine tells about itself, and on Get create or update its
 * inventory and answer with its configuration. Anything else ends the connection, with an
 * Error message when the machine can read one; nothing is written to the cluster before Get.
 */
final class ServerConversation {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConversation.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIRST_WITH_ERROR_MESSAGES = ERROR.code();

  private final MessageChannel channel;
  private final Authenticator authenticator;
  private final MachineRegistration registration;
  private final InventoryRegistrar registrar;
  private final ConfigSource configs;
  private int version;

  /** The machine's configuration once it has an inventory. */
  interface ConfigSource {
    String configFor(MachineRegistration registration, MachineInventory inventory) throws InventoryRegistrar.RegistrationRefused;
  }

  ServerConversation(MessageChannel channel, Authenticator authenticator, MachineRegistration registration,
      InventoryRegistrar registrar, ConfigSource configs) {
    this.channel = channel;
    this.authenticator = authenticator;
    this.registration = registration;
    this.registrar = registrar;
    this.configs = configs;
  }

  void run() {
    try {
      MachineIdentity identity = authenticator.authenticate(channel);
      channel.write(Message.of(READY));
      version = ProtocolVersion.negotiate(expect(MessageType.VERSION).payload());
      channel.write(new Message(MessageType.VERSION, new byte[] {(byte) version}));
      converse(new RegistrationRequest(identity));
    } catch (ProtocolException e) {
      LOG.info("registration at {} ended: {}", registration.getMetadata().getName(), e.getMessage());
      sendError(e.getMessage());
    } catch (InventoryRegistrar.RegistrationRefused e) {
      LOG.info("registration at {} refused: {}", registration.getMetadata().getName(), e.getMessage());
      sendError(e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("registration at {} failed", registration.getMetadata().getName(), e);
      sendError("internal error: " + e.getMessage());
    } finally {
      channel.close();
    }
  }

  private void converse(RegistrationRequest request) throws ProtocolException, InventoryRegistrar.RegistrationRefused {
    while (true) {
      Message message = channel.read();
      switch (message.type()) {
        case UPDATE -> {
          if (registrar.find(request.identity()).isEmpty()) {
            throw new ProtocolException("MachineInventory not found");
          }
          ready();
        }
        case SMBIOS -> {
          request.smbios(jsonObject(message));
          ready();
        }
        case SYSTEM_DATA, SYSTEM_DATA_V2 -> {
          request.systemData(jsonObject(message));
          ready();
        }
        case ANNOTATIONS -> {
          request.annotations(jsonStrings(message));
          ready();
        }
        case LABELS -> {
          request.labels(jsonStrings(message));
          ready();
        }
        case GET -> {
          MachineInventory inventory = registrar.register(registration, request);
          channel.write(Message.text(MessageType.CONFIG, configs.configFor(registration, inventory)));
          return;
        }
        default -> throw new ProtocolException("unexpected " + message.type() + " message from the machine");
      }
    }
  }

  private Message expect(MessageType type) throws ProtocolException {
    Message message = channel.read();
    if (message.type() != type) {
      throw new ProtocolException("expected " + type + ", got " + message.type());
    }
    return message;
  }

  private void ready() throws ProtocolException {
    channel.write(Message.of(READY));
  }

  private void sendError(String text) {
    if (version < FIRST_WITH_ERROR_MESSAGES) return;
    try {
      channel.write(Message.text(ERROR, "message: " + JSON.writeValueAsString(text) + "\n"));
    } catch (ProtocolException | IOException ignored) {
      // the machine is gone; nothing more to tell it
    }
  }

  private static Map<String, Object> jsonObject(Message message) throws ProtocolException {
    try {
      return JSON.readValue(message.payload(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new ProtocolException("invalid JSON in " + message.type() + ": " + firstLine(e));
    }
  }

  private static Map<String, String> jsonStrings(Message message) throws ProtocolException {
    try {
      return JSON.readValue(message.payload(), new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      throw new ProtocolException("invalid JSON in " + message.type() + " (a map of strings): "
          + firstLine(e));
    }
  }

  private static String firstLine(IOException e) {
    String text = String.valueOf(e.getMessage());
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
