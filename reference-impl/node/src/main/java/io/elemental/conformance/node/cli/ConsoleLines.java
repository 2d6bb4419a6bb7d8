package io.elemental.conformance.node.cli;

import java.io.PrintWriter;

/**
 * The lines the harness greps on the serial console. Their wording is a contract with the
 * @vm tier: {@code elemental-register: registered, inventory <name>} and
 * {@code elemental-register: ERROR: <cause and fix>}.
 */
final class ConsoleLines {
  static final String PREFIX = "elemental-register: ";

  private final PrintWriter out;

  ConsoleLines(PrintWriter out) {
    this.out = out;
  }

  void info(String message) {
    print(PREFIX + message);
  }

  void registered(String inventory) {
    print(PREFIX + "registered, inventory " + inventory);
  }

  void installed(String device) {
    print(PREFIX + "installed to " + device);
  }

  void error(String message) {
    print(PREFIX + "ERROR: " + message);
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }
}
