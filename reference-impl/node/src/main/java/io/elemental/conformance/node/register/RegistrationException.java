package io.elemental.conformance.node.register;

/** Registration did not succeed; the message is what the machine's console shows. */
public class RegistrationException extends Exception {
  public RegistrationException(String message) {
    super(message);
  }

  public RegistrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
