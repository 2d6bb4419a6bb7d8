package io.elemental.conformance.operator.seedimage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Lays out a live ISO the way dracut's dmsquash-live finds its root ({@code LiveOS/squashfs.img}
 * on the volume labelled {@code COS_LIVE}), adds the registration config where the register
 * client looks for it ({@code /livecd-cloud-config.yaml}) and the SeedImage's cloud-config where
 * the real seed image puts it ({@code /iso-config/cloud-config.yaml}), and lets grub-mkrescue
 * make it bootable with GRUB on the serial console too.
 */
final class IsoAssembler {
  static final String VOLUME_LABEL = "COS_LIVE";
  static final String LIVECD_CONFIG = "livecd-cloud-config.yaml";
  static final String ISO_CLOUD_CONFIG = "iso-config/cloud-config.yaml";
  /**
   * The serial console last: the last {@code console=} becomes /dev/console, where the register
   * unit prints its outcome, and headless machines (and every VM here) are watched on serial.
   */
  static final String GRUB_CFG = """
      serial --unit=0 --speed=115200
      terminal_input serial console
      terminal_output serial console
      set timeout=0
      set default=0

      menuentry "Elemental seed image" {
        linux /boot/vmlinuz root=live:CDLABEL=COS_LIVE rd.live.image rd.live.overlay.overlayfs=1 console=tty1 console=ttyS0,115200
        initrd /boot/initrd
      }
      """;

  /** The ISO and its SHA-256 (hex). */
  record Iso(Path file, String sha256) {}

  Iso assemble(LiveImage live, String livecdConfig, Optional<String> cloudConfig, Path iso) throws IOException {
    BuildTool.requireAll();
    Path tree = iso.resolveSibling(iso.getFileName() + ".tree");
    LiveImageCache.deleteTree(tree);
    try {
      Files.createDirectories(tree.resolve("LiveOS"));
      Files.createDirectories(tree.resolve("boot/grub"));
      linkOrCopy(live.squashfs(), tree.resolve("LiveOS/squashfs.img"));
      linkOrCopy(live.kernel(), tree.resolve("boot/vmlinuz"));
      linkOrCopy(live.initrd(), tree.resolve("boot/initrd"));
      Files.writeString(tree.resolve("boot/grub/grub.cfg"), GRUB_CFG, StandardCharsets.UTF_8);
      Files.writeString(tree.resolve(LIVECD_CONFIG), livecdConfig, StandardCharsets.UTF_8);
      if (cloudConfig.isPresent()) {
        Files.createDirectories(tree.resolve(ISO_CLOUD_CONFIG).getParent());
        Files.writeString(tree.resolve(ISO_CLOUD_CONFIG), cloudConfig.get(), StandardCharsets.UTF_8);
      }
      Path partial = iso.resolveSibling(iso.getFileName() + ".partial");
      BuildTool.GRUB_MKRESCUE.run(List.of("-o", partial.toString(), tree.toString(), "--", "-volid", VOLUME_LABEL),
          iso.resolveSibling("grub-mkrescue.log"), Duration.ofMinutes(10));
      Files.move(partial, iso, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      String sha256 = sha256(iso);
      Files.writeString(checksumFile(iso), sha256 + "  " + iso.getFileName() + "\n", StandardCharsets.UTF_8);
      return new Iso(iso, sha256);
    } finally {
      LiveImageCache.deleteTree(tree);
    }
  }

  static Path checksumFile(Path iso) {
    return iso.resolveSibling(iso.getFileName() + ".sha256");
  }

  /** The cached squashfs is hundreds of MB: a hard link costs nothing when the work dir is one filesystem. */
  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
