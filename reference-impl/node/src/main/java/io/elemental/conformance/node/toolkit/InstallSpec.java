package io.elemental.conformance.node.toolkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code install} needs: the disk and its layout, the OS to install ({@code dir:} or
 * {@code oci://}), how many snapshots to keep, files for COS_OEM (path relative to it, content),
 * and a scratch directory for unpacking an OCI source.
 */
public record InstallSpec(BlockDevice device, DiskLayout layout, String source, int maxSnaps,
    Map<String, byte[]> oemFiles, Path scratch) {
  public InstallSpec {
    if (maxSnaps < 2) throw new IllegalArgumentException("maxSnaps must be at least 2 (active and one passive)");
    oemFiles = Map.copyOf(oemFiles);
  }
}
