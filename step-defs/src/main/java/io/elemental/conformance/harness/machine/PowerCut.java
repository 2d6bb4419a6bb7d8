package io.elemental.conformance.harness.machine;

/** The plug of a simulated machine was pulled: whatever it was doing stops where it was. */
public final class PowerCut extends RuntimeException {
  public PowerCut(String where) {
    super("power cut " + where);
  }
}
