package io.elemental.conformance.node.cloudconfig;

/** A file yip would refuse to load, with the line (1-based; 0 when unknown) that makes it so. */
final class CloudConfigSyntaxException extends RuntimeException {
  private final int line;

  CloudConfigSyntaxException(int line, String message) {
    super(message);
    this.line = line;
  }

  int line() {
    return line;
  }
}
