package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.HostTools;
import io.elemental.conformance.node.toolkit.BlockDevice;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real disk ({@code /dev/vda}): {@code sfdisk} writes the GPT (partition names efi, oem,
 * recovery, state, persistent; the EFI system type for efi), {@code mkfs.vfat}/{@code mkfs.ext4}
 * format them with Elemental's labels, and the partitions are mounted under
 * {@code /run/elemental/install/<label>} while in use.
 */
public final class LinuxDisk implements BlockDevice {
  private static final long PARTITION_WAIT_MILLIS = 30_000;

  private final Path device;

  public LinuxDisk(Path device) {
    this.device = device;
  }

  /** The disk an install names ({@code /dev/vda}); refuses what is not a block device, before anything is written. */
  public static LinuxDisk of(String name) {
    Path device = Path.of(name);
    if (!Files.exists(device)) {
      throw new ToolkitException("the install device " + name + " does not exist on this machine. Fix: set"
          + " config.elemental.install.device of the MachineRegistration to one of: " + disks());
    }
    String type = HostTools.run("lsblk", "-dno", "TYPE", name).strip();
    if (!"disk".equals(type) && !"loop".equals(type)) {
      throw new ToolkitException(name + " is a " + type + ", not a whole disk. Fix: install to a disk such as "
          + disks());
    }
    return new LinuxDisk(device);
  }

  @Override
  public String name() {
    return device.toString();
  }

  @Override
  public long sizeBytes() {
    return Long.parseLong(HostTools.run("blockdev", "--getsize64", device.toString()).strip());
  }

  @Override
  public Partitions partition(DiskLayout layout) {
    // A disk in use (the installed system booted from it) must never be overwritten.
    refuseMountedPartitions();
    HostTools.run("wipefs", "--all", "--quiet", device.toString());
    HostTools.run(List.of("sfdisk", "--quiet", "--wipe", "always", device.toString()), layout.sfdiskScript());
    // sfdisk's own re-read is refused while anything holds the disk; partx updates the kernel's table anyway.
    HostTools.run("partx", "--update", device.toString());
    Map<String, Path> devices = new LinkedHashMap<>();
    List<Partition> parts = layout.partitions();
    for (int i = 0; i < parts.size(); i++) {
      Path dev = awaitPartition(i + 1);
      Partition p = parts.get(i);
      if ("vfat".equals(p.filesystem())) {
        HostTools.run("mkfs.vfat", "-n", p.fsLabel(), dev.toString());
      } else {
        HostTools.run("mkfs." + p.filesystem(), "-q", "-F", "-L", p.fsLabel(), dev.toString());
      }
      devices.put(p.fsLabel(), dev);
    }
    HostTools.run("udevadm", "settle", "--timeout=30");
    return MountedPartitions.mount(devices);
  }

  @Override
  public Partitions open() {
    Map<String, Path> devices = new LinkedHashMap<>();
    for (int n = 1; Files.exists(partitionDevice(n)); n++) {
      Path dev = partitionDevice(n);
      String label = label(dev);
      if (!label.isEmpty()) devices.put(label, dev);
    }
    if (!devices.containsKey(Partition.STATE)) {
      throw new ToolkitException("the disk " + device + " has no " + Partition.STATE + " partition (labels: "
          + devices.keySet() + "). Fix: install first");
    }
    return MountedPartitions.mount(devices);
  }

  /** The file system label of a partition, empty when it has none. */
  static String label(Path partition) {
    try {
      return HostTools.run("blkid", "-s", "LABEL", "-o", "value", partition.toString()).strip();
    } catch (ToolkitException e) {
      return ""; // blkid exits 2 on a partition without a file system
    }
  }

  /** vda → vda1; nvme0n1, loop0, mmcblk0 → p1. */
  Path partitionDevice(int number) {
    String name = device.toString();
    return Path.of(name + (Character.isDigit(name.charAt(name.length() - 1)) ? "p" : "") + number);
  }


  private Path awaitPartition(int number) {
    Path dev = partitionDevice(number);
    long deadline = System.currentTimeMillis() + PARTITION_WAIT_MILLIS;
    while (!Files.exists(dev)) {
      if (System.currentTimeMillis() > deadline) {
        throw new ToolkitException("the kernel did not show partition " + dev + " within " + PARTITION_WAIT_MILLIS / 1000
            + " s of partitioning " + device + ". Fix: check that nothing holds the disk (lsblk, mount)");
      }
      HostTools.run("udevadm", "settle", "--timeout=5");
      try {
        Thread.sleep(100); // udev creates the node asynchronously after the kernel re-reads the table
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolkitException("interrupted while waiting for " + dev, e);
      }
    }
    return dev;
  }

  private void refuseMountedPartitions() {
    MountTable table = MountTable.read();
    for (int n = 1; Files.exists(partitionDevice(n)); n++) {
      Path dev = MountTable.realPath(partitionDevice(n));
      for (MountTable.Entry e : table.entries()) {
        if (e.source().startsWith("/dev/") && MountTable.realPath(Path.of(e.source())).equals(dev)) {
          throw new ToolkitException(dev + " is mounted at " + e.mountPoint() + "; installing to " + device
              + " would destroy a file system in use. Fix: boot the seed image (live) to install, or unmount it");
        }
      }
    }
  }

  private static String disks() {
    try {
      return String.join(", ", HostTools.run("lsblk", "-dnpo", "NAME", "-e", "7,11").strip().split("\n"));
    } catch (ToolkitException e) {
      return "(lsblk failed: " + e.getMessage() + ")";
    }
  }
}
