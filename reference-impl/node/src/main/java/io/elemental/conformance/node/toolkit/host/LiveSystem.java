package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.OsImages;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The live system of a seed image, as dracut's dmsquash-live leaves it: the ISO at
 * {@code /run/initramfs/live}, its squashfs at {@code LiveOS/squashfs.img}, and that squashfs
 * mounted read-only as the overlay's lower dir ({@code /run/rootfsbase} with
 * {@code rd.live.overlay.overlayfs}). That lower dir is the OS image exactly as built, without
 * what this boot changed: what install copies by default, as the real installer does.
 */
public final class LiveSystem {
  static final List<Path> ROOTS = List.of(Path.of("/run/rootfsbase"), Path.of("/run/initramfs/squashfs"));
  static final Path SQUASHFS = Path.of("/run/initramfs/live/LiveOS/squashfs.img");

  private LiveSystem() {}

  /** {@code dir:} of the live system's read-only root. */
  public static String defaultSource() {
    for (Path root : ROOTS) {
      if (Files.isRegularFile(root.resolve("etc/os-release"))) return OsImages.DIR + root;
    }
    throw new ToolkitException("this is not a live system booted by dmsquash-live: none of " + ROOTS + " holds an OS."
        + " Fix: boot the seed image to install, or pass --source oci://<registry>/<image>:<tag>");
  }

  /** The spec, with the seed image's squashfs as recovery image when the source is the live root itself. */
  public static InstallSpec withLiveRecovery(InstallSpec spec) {
    boolean fromLiveRoot = ROOTS.stream().anyMatch(root -> spec.source().equals(OsImages.DIR + root));
    return fromLiveRoot && Files.isRegularFile(SQUASHFS) ? spec.withRecoverySquashfs(SQUASHFS) : spec;
  }
}
