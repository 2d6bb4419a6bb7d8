package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.toolkit.Upgrader;

/**
 * A simulated machine's power: on or off, a reboot its running system asked for (asynchronous,
 * as {@code systemctl reboot} is), and a power cut armed at one of an upgrade's checkpoints.
 */
final class SimulatedPower {
  private boolean off;
  private boolean rebootRequested;
  private String cutAt;

  boolean isOff() {
    return off;
  }

  void cut() {
    off = true;
  }

  void restore() {
    off = false;
  }

  void requestReboot() {
    rebootRequested = true;
  }

  boolean rebootRequested() {
    return rebootRequested;
  }

  /** A new agent pass starts with no reboot pending. */
  void clearRebootRequest() {
    rebootRequested = false;
  }

  /** The plug is to be pulled when an upgrade reaches {@code point}, one of {@link Upgrader#CHECKPOINTS}. */
  void armCutAt(String point) {
    if (!Upgrader.CHECKPOINTS.contains(point)) {
      throw new IllegalArgumentException("no upgrade checkpoint '" + point + "'; there are " + Upgrader.CHECKPOINTS);
    }
    cutAt = point;
  }

  /** Whether the armed cut is at {@code point}; if so, the power is now off and the cut disarmed. */
  boolean cutsAt(String point) {
    if (!point.equals(cutAt)) return false;
    cutAt = null;
    off = true;
    return true;
  }
}
