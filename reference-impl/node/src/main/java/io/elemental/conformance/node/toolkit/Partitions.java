package io.elemental.conformance.node.toolkit;

import java.nio.file.Path;

/** An installed disk's partitions, mounted read-write while this is open. */
public interface Partitions extends AutoCloseable {
  /** Where the partition with this file system label is mounted. */
  Path mountPoint(String fsLabel);

  default Path efi() {
    return mountPoint(Partition.EFI);
  }

  default Path oem() {
    return mountPoint(Partition.OEM);
  }

  default Path recovery() {
    return mountPoint(Partition.RECOVERY);
  }

  default Path state() {
    return mountPoint(Partition.STATE);
  }

  default Path persistent() {
    return mountPoint(Partition.PERSISTENT);
  }

  @Override
  void close();
}
