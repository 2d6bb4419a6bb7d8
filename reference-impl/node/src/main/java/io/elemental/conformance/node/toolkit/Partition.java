package io.elemental.conformance.node.toolkit;

/**
 * One GPT partition of Elemental's layout: its partition name ({@code efi}, {@code oem}, ...),
 * the label of its file system ({@code COS_OEM}, ...), the file system, and its size in MiB
 * ({@code 0}: the rest of the disk, only for the last partition).
 */
public record Partition(String name, String fsLabel, String filesystem, long sizeMiB) {
  public static final String EFI = "COS_GRUB";
  public static final String OEM = "COS_OEM";
  public static final String RECOVERY = "COS_RECOVERY";
  public static final String STATE = "COS_STATE";
  public static final String PERSISTENT = "COS_PERSISTENT";

  public Partition {
    if (sizeMiB < 0) throw new IllegalArgumentException("partition " + name + " has a negative size");
  }

  public boolean takesTheRest() {
    return sizeMiB == 0;
  }
}
