package io.elemental.conformance.node.toolkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code install} needs: the disk and its layout, the OS to install ({@code dir:} or
 * {@code oci://}), how many snapshots to keep, files for COS_OEM (path relative to it, content),
 * a scratch directory for unpacking an OCI source, and optionally a ready recovery image of that
 * same OS: a squashfs file, or the seed image's device holding one (copying it saves making it
 * again, which takes minutes on a slow machine).
 */
public record InstallSpec(BlockDevice device, DiskLayout layout, String source, int maxSnaps,
    Map<String, byte[]> oemFiles, Path scratch, Optional<Path> recoveryImage) {
  public InstallSpec {
    if (maxSnaps < 2) throw new IllegalArgumentException("maxSnaps must be at least 2 (active and one passive)");
    oemFiles = Map.copyOf(oemFiles);
  }

  public InstallSpec(BlockDevice device, DiskLayout layout, String source, int maxSnaps, Map<String, byte[]> oemFiles,
      Path scratch) {
    this(device, layout, source, maxSnaps, oemFiles, scratch, Optional.empty());
  }

  /** The same install, with {@code image} (a squashfs of exactly the source, or a device holding one) as recovery. */
  public InstallSpec withRecoveryImage(Path image) {
    return new InstallSpec(device, layout, source, maxSnaps, oemFiles, scratch, Optional.of(image));
  }
}
