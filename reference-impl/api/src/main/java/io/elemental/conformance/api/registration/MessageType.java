package io.elemental.conformance.api.registration;

import java.util.Optional;

/** The message types of the real protocol, with their wire numbers. */
public enum MessageType {
  UNDEFINED(0),
  READY(1),
  SMBIOS(2),
  LABELS(3),
  GET(4),
  VERSION(5),
  /** Deprecated since SystemDataV2; still understood from old clients. */
  SYSTEM_DATA(6),
  CONFIG(7),
  ERROR(8),
  ANNOTATIONS(9),
  UPDATE(10),
  SYSTEM_DATA_V2(11),
  /** Never sent: only the number of the newest protocol version. */
  NETWORK_CONFIG(12);

  /** The newest message type, which is also the protocol version spoken. */
  public static final MessageType LAST = NETWORK_CONFIG;

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<MessageType> of(int code) {
    MessageType[] all = values();
    return code >= 0 && code < all.length ? Optional.of(all[code]) : Optional.empty();
  }
}
