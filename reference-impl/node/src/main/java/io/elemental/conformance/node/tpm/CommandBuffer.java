package io.elemental.conformance.node.tpm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Marshals one TPM 2.0 command (Part 1, 18.2): header, handle area, authorization area (only
 * when there are sessions, which also picks the tag) and parameters, all big-endian.
 */
final class CommandBuffer {
  static final int ST_NO_SESSIONS = 0x8001;
  static final int ST_SESSIONS = 0x8002;

  private final int commandCode;
  private final ByteArrayOutputStream handles = new ByteArrayOutputStream();
  private final List<AuthSession> sessions = new ArrayList<>();
  private final ByteArrayOutputStream parameters = new ByteArrayOutputStream();

  CommandBuffer(int commandCode) {
    this.commandCode = commandCode;
  }

  CommandBuffer handle(int handle) {
    putU32(handles, handle);
    return this;
  }

  /** Sessions in the order of the handles that need authorization. */
  CommandBuffer auth(AuthSession session) {
    sessions.add(session);
    return this;
  }

  CommandBuffer u8(int value) {
    parameters.write(value);
    return this;
  }

  CommandBuffer u16(int value) {
    putU16(parameters, value);
    return this;
  }

  CommandBuffer u32(int value) {
    putU32(parameters, value);
    return this;
  }

  /** A TPM2B: u16 size, then the bytes. */
  CommandBuffer sized(byte[] bytes) {
    putSized(parameters, bytes);
    return this;
  }

  /** Bytes already marshalled (e.g. a TPM2B as the server sent it, size included). */
  CommandBuffer raw(byte[] bytes) {
    parameters.writeBytes(bytes);
    return this;
  }

  byte[] toBytes() {
    ByteArrayOutputStream auth = new ByteArrayOutputStream();
    for (AuthSession session : sessions) {
      putU32(auth, session.handle());
      putSized(auth, session.nonce());
      auth.write(session.attributes());
      putSized(auth, session.hmac());
    }
    boolean withSessions = !sessions.isEmpty();
    int size = 10 + handles.size() + (withSessions ? 4 + auth.size() : 0) + parameters.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    putU16(out, withSessions ? ST_SESSIONS : ST_NO_SESSIONS);
    putU32(out, size);
    putU32(out, commandCode);
    out.writeBytes(handles.toByteArray());
    if (withSessions) {
      putU32(out, auth.size());
      out.writeBytes(auth.toByteArray());
    }
    out.writeBytes(parameters.toByteArray());
    return out.toByteArray();
  }

  /** {@code bytes} with a u16 size in front: a TPM2B. */
  static byte[] tpm2b(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 2);
    putSized(out, bytes);
    return out.toByteArray();
  }

  private static void putSized(ByteArrayOutputStream out, byte[] bytes) {
    if (bytes.length > 0xFFFF) throw new IllegalArgumentException("a TPM2B holds at most 65535 bytes");
    putU16(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void putU16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value);
  }

  private static void putU32(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }
}
