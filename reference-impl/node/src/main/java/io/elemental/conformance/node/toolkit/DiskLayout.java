package io.elemental.conformance.node.toolkit;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The partitions {@code install} makes, in disk order (ELEMENTAL.md §7). The defaults are
 * Elemental's; tests shrink recovery and state, because their images are small and every MiB
 * is written under emulation.
 */
public record DiskLayout(List<Partition> partitions) {
  /** GPT's own structures at both ends of the disk, and alignment: what a layout needs on top of its partitions. */
  static final long OVERHEAD_MIB = 2;
  static final String EFI_SYSTEM_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
  static final String LINUX_FILESYSTEM_TYPE = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

  public DiskLayout {
    partitions = List.copyOf(partitions);
    for (int i = 0; i < partitions.size() - 1; i++) {
      if (partitions.get(i).takesTheRest()) {
        throw new IllegalArgumentException("only the last partition may take the rest of the disk, not "
            + partitions.get(i).name());
      }
    }
  }

  /** Elemental's defaults: efi 64, oem 64, recovery 4096, state 8192, persistent the rest. */
  public static DiskLayout defaults() {
    return of(4096, 8192, 0);
  }

  /** A layout for test machines: recovery and state sized for small images, persistent 64 MiB. */
  public static DiskLayout small() {
    return of(1024, 2048, 64);
  }

  public static DiskLayout of(long recoveryMiB, long stateMiB, long persistentMiB) {
    return new DiskLayout(List.of(
        new Partition("efi", Partition.EFI, "vfat", 64),
        new Partition("oem", Partition.OEM, "ext4", 64),
        new Partition("recovery", Partition.RECOVERY, "ext4", recoveryMiB),
        new Partition("state", Partition.STATE, "ext4", stateMiB),
        new Partition("persistent", Partition.PERSISTENT, "ext4", persistentMiB)));
  }

  /** The smallest disk this layout fits on; a partition taking the rest counts as 64 MiB. */
  public long requiredMiB() {
    return OVERHEAD_MIB + partitions.stream().mapToLong(p -> p.takesTheRest() ? 64 : p.sizeMiB()).sum();
  }

  /** Refuses, before anything is written, a disk this layout does not fit on. */
  public void requireFits(String device, long diskBytes) {
    long diskMiB = diskBytes / (1024 * 1024);
    if (diskMiB < requiredMiB()) {
      throw new ToolkitException("disk " + device + " has " + diskMiB + " MiB, but the layout needs " + requiredMiB()
          + " MiB (" + describe() + "); nothing was written. Fix: give the machine a bigger disk, or install"
          + " with smaller partitions");
    }
  }

  /** The layout as an {@code sfdisk} script: a GPT, the partitions in order, by name, EFI type for efi. */
  public String sfdiskScript() {
    StringBuilder script = new StringBuilder("label: gpt\n");
    for (Partition p : partitions) {
      String type = "efi".equals(p.name()) ? EFI_SYSTEM_TYPE : LINUX_FILESYSTEM_TYPE;
      script.append(p.takesTheRest() ? "" : "size=" + p.sizeMiB() + "MiB, ").append("type=").append(type)
          .append(", name=").append(p.name()).append('\n');
    }
    return script.toString();
  }

  public Partition byLabel(String fsLabel) {
    return partitions.stream().filter(p -> p.fsLabel().equals(fsLabel)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the layout has no partition labelled " + fsLabel));
  }

  private String describe() {
    return partitions.stream().map(p -> p.name() + " " + (p.takesTheRest() ? "the rest" : p.sizeMiB() + " MiB"))
        .collect(Collectors.joining(", "));
  }
}
