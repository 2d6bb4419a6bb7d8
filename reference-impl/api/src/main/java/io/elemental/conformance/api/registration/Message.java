package io.elemental.conformance.api.registration;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One protocol message: a type and its payload (JSON, YAML, one byte or nothing, by type). */
public record Message(MessageType type, byte[] payload) {

  /** The largest message either side accepts; the real client's SMBIOS data is a few KiB. */
  public static final int MAX_SIZE = 1 << 20;

  public Message {
    payload = payload == null ? new byte[0] : payload;
  }

  public static Message of(MessageType type) {
    return new Message(type, new byte[0]);
  }

  public static Message text(MessageType type, String payload) {
    return new Message(type, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** The type byte followed by the payload: one binary websocket message. */
  public byte[] encode() {
    byte[] frame = new byte[payload.length + 1];
    frame[0] = (byte) type.code();
    System.arraycopy(payload, 0, frame, 1, payload.length);
    return frame;
  }

  /** Reads a whole binary websocket message; rejects what the real implementation rejects. */
  public static Message decode(byte[] frame) throws ProtocolException {
    if (frame == null || frame.length == 0) {
      throw new ProtocolException("empty message: every message starts with a type byte");
    }
    if (frame.length > MAX_SIZE) {
      throw new ProtocolException("message of " + frame.length + " bytes exceeds the limit of " + MAX_SIZE);
    }
    int code = frame[0] & 0xff;
    MessageType type = MessageType.of(code).orElseThrow(() -> new ProtocolException(
        "unknown message type " + code + " (the newest is " + MessageType.LAST.code() + ")"));
    return new Message(type, Arrays.copyOfRange(frame, 1, frame.length));
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m && m.type == type && Arrays.equals(m.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return type + "(" + payload.length + " bytes)";
  }
}
