package io.elemental.conformance.operator.upgrade;

/** Where one targeted machine is in the upgrade, as {@code status.machines[].state} spells it. */
public enum MachineState {
  /** Waiting for a concurrency slot (or for its plan Secret). */
  Pending,
  /** The upgrade is in its plan; the agent has not reported on that plan yet. */
  Upgrading,
  /** The agent applied the plan holding the upgrade. */
  Upgraded,
  /** The agent failed the plan holding the upgrade; with {@code max-failures} 1 it does not retry. */
  Failed,
  /** A newer ManagedOSImage selects the machine too: that one upgrades it, this one leaves its plan alone. */
  Superseded;

  /** Counts against {@code spec.concurrency}: written, outcome not known yet. */
  public boolean inFlight() {
    return this == Upgrading;
  }
}
