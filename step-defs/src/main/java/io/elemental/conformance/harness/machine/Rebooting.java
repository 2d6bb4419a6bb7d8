package io.elemental.conformance.harness.machine;

/** A simulated machine goes down for a reboot under its running agent: the agent's pass ends there. */
final class Rebooting extends RuntimeException {
  Rebooting() {
    super("rebooting", null, false, false);
  }
}
