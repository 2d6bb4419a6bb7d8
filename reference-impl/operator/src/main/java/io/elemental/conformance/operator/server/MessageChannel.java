package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.registration.Message;
import io.elemental.conformance.api.registration.ProtocolException;

/**
 * One registration connection as a sequence of whole binary messages, with the session's
 * deadline: the conversation reads and writes in order, as both real peers do.
 */
public interface MessageChannel {

  /** The next whole message, raw; fails when the deadline passes or the peer goes away. */
  byte[] readRaw() throws ProtocolException;

  void writeRaw(byte[] message) throws ProtocolException;

  default Message read() throws ProtocolException {
    return Message.decode(readRaw());
  }

  default void write(Message message) throws ProtocolException {
    writeRaw(message.encode());
  }

  /** Ends the connection (the real server closes without a close frame). */
  void close();
}
