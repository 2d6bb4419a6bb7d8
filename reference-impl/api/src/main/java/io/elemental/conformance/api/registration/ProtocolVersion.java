package io.elemental.conformance.api.registration;

/** Version negotiation: the client offers its newest type number, the server answers min(offer, its own). */
public final class ProtocolVersion {
  /** Versions up to Get (4) predate the Version message itself and are refused. */
  public static final int OLDEST_REFUSED = MessageType.GET.code();

  private ProtocolVersion() {}

  public static Message offer() {
    return new Message(MessageType.VERSION, new byte[] {(byte) MessageType.LAST.code()});
  }

  /** The server's side: the version both speak, from the client's Version payload. */
  public static int negotiate(byte[] payload) throws ProtocolException {
    int offered = read(payload);
    if (offered <= OLDEST_REFUSED) {
      throw new ProtocolException("protocol version " + offered + " is deprecated: update elemental-register");
    }
    return Math.min(offered, MessageType.LAST.code());
  }

  /** A Version payload: exactly one byte. */
  public static int read(byte[] payload) throws ProtocolException {
    if (payload.length != 1) {
      throw new ProtocolException("a Version message carries one byte, got " + payload.length);
    }
    return payload[0] & 0xff;
  }
}
