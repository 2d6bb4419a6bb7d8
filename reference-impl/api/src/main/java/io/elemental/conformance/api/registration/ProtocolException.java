package io.elemental.conformance.api.registration;

/** A peer broke the registration protocol; the message says how. */
public class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
