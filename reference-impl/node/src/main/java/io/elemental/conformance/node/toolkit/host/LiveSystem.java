package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.OsImages;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
  /** Where dmsquash-live mounts the seed image's medium. */
  static final Path LIVE_MEDIUM = Path.of("/run/initramfs/live");

  private LiveSystem() {}

  /** {@code dir:} of the live system's read-only root. */
  public static String defaultSource() {
    for (Path root : ROOTS) {
      if (Files.isRegularFile(root.resolve("etc/os-release"))) return OsImages.DIR + root;
    }
    throw new ToolkitException("this is not a live system booted by dmsquash-live: none of " + ROOTS + " holds an OS."
        + " Fix: boot the seed image to install, or pass --source oci://<registry>/<image>:<tag>");
  }

  /**
   * The spec, with the seed image itself as recovery image when the source is the live root:
   * the ISO carries that root's squashfs ({@code LiveOS/squashfs.img}) and the kernel and initrd
   * at {@code /boot}, where GRUB's recovery entry loads them. GRUB reads ISO 9660 but not a zstd
   * squashfs (its squash4 knows gzip, lzo and xz only), so the seed squashfs alone would leave a
   * recovery entry that cannot boot; the initramfs then loops the squashfs inside the ISO
   * ({@code elemental-recovery-image} of the OS image's dracut module). The install reads the ISO
   * straight from its device while it writes snapshot 1. Without the ISO device, the squashfs is
   * used as before.
   */
  public static InstallSpec withLiveRecovery(InstallSpec spec) {
    boolean fromLiveRoot = ROOTS.stream().anyMatch(root -> spec.source().equals(OsImages.DIR + root));
    if (!fromLiveRoot || !Files.isRegularFile(SQUASHFS)) return spec;
    Optional<Path> medium = MountTable.read().at(LIVE_MEDIUM).map(e -> Path.of(e.source()))
        .filter(dev -> dev.startsWith("/dev/") && Files.isReadable(dev));
    return spec.withRecoveryImage(medium.orElse(SQUASHFS));
  }
}
