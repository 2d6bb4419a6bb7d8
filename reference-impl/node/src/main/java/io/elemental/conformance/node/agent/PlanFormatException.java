package io.elemental.conformance.node.agent;

/** The plan Secret's {@code plan} bytes are not a plan the agent can read. */
public final class PlanFormatException extends IllegalArgumentException {
  public PlanFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
