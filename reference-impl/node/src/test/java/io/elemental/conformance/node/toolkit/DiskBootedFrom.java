package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;

/**
 * A simulated disk as the toolkit sees it from a machine booted from one of its entries, for
 * commands that must finish without rebooting (a reboot fails the test).
 */
public record DiskBootedFrom(SimulatedDisk disk, String entry) implements RunningSystem {
  @Override
  public Partitions partitions() {
    return disk.open();
  }

  @Override
  public String bootedEntry() {
    return entry;
  }

  @Override
  public void reboot() {
    throw new AssertionError("the command under test rebooted the machine");
  }
}
