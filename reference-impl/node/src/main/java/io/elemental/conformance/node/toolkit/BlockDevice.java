package io.elemental.conformance.node.toolkit;

/**
 * The disk the toolkit installs to: a real block device inside a VM, a {@code
 * simulated.SimulatedDisk} in @sim. Both follow the same layout rules.
 */
public interface BlockDevice {
  /** How the machine names it ({@code /dev/vda}). */
  String name();

  long sizeBytes();

  /** Writes a new GPT with {@code layout} and formats every partition; what was on the disk is lost. */
  Partitions partition(DiskLayout layout);

  /** The partitions of an installed disk, by file system label. */
  Partitions open();
}
