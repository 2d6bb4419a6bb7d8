package io.elemental.conformance.node.toolkit;

/**
 * A toolkit action that cannot go on. The message says what was wrong and how to fix it; it is
 * what the machine prints on its console and what an upgrade plan reports as its output.
 */
public final class ToolkitException extends RuntimeException {
  public ToolkitException(String message) {
    super(message);
  }

  public ToolkitException(String message, Throwable cause) {
    super(message, cause);
  }
}
