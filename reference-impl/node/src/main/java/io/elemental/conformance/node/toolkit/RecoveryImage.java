package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The recovery system on COS_RECOVERY: {@code boot/recovery.img}, a squashfs of an OS tree. */
public final class RecoveryImage {
  public static final String PATH = "boot/recovery.img";

  private RecoveryImage() {}

  public static void write(Path tree, Path recoveryMount) {
    Path image = recoveryMount.resolve(PATH);
    Path partial = image.resolveSibling("recovery.img.part");
    try {
      Files.createDirectories(image.getParent());
      Files.deleteIfExists(partial);
      HostTools.run(List.of("mksquashfs", tree.toString(), partial.toString(), "-noappend", "-quiet",
          "-comp", "zstd", "-Xcompression-level", "3"));
      Files.move(partial, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ToolkitException("cannot write the recovery image " + image + ": " + e.getMessage(), e);
    }
  }

  /** Copies {@code squashfs}, a squashfs of the OS being installed, as the recovery image. */
  public static void copy(Path squashfs, Path recoveryMount) {
    Path image = recoveryMount.resolve(PATH);
    Path partial = image.resolveSibling("recovery.img.part");
    try {
      Files.createDirectories(image.getParent());
      Files.copy(squashfs, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ToolkitException("cannot copy " + squashfs + " as the recovery image " + image + ": " + e.getMessage(), e);
    }
  }

  /** Unpacks the recovery image into {@code target} (how reset and the simulated firmware read it). */
  public static void extract(Path recoveryMount, Path target) {
    HostTools.run(List.of("unsquashfs", "-f", "-n", "-d", target.toString(), recoveryMount.resolve(PATH).toString()));
  }
}
