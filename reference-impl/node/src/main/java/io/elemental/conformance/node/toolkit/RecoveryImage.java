package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The recovery system on COS_RECOVERY: {@code boot/recovery.img}, a squashfs of an OS tree. */
public final class RecoveryImage {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryImage.class);
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

  /**
   * Copies {@code source}, a squashfs of the OS being installed or a device holding one (the seed
   * ISO), as the recovery image. Read as a stream: {@code Files.copy} of a device would copy its node.
   */
  public static void copy(Path source, Path recoveryMount) {
    Path image = recoveryMount.resolve(PATH);
    Path partial = image.resolveSibling("recovery.img.part");
    long begin = System.nanoTime();
    try (InputStream in = Files.newInputStream(source)) {
      Files.createDirectories(image.getParent());
      long bytes = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Durable.replace(partial, image);
      LOG.info("copied {} ({} MB) as the recovery image in {} ms", source, bytes / 1_000_000,
          (System.nanoTime() - begin) / 1_000_000);
    } catch (IOException e) {
      throw new ToolkitException("cannot copy " + source + " as the recovery image " + image + ": " + e.getMessage(), e);
    }
  }

  /** Unpacks the recovery image into {@code target} (how reset and the simulated firmware read it). */
  public static void extract(Path recoveryMount, Path target) {
    HostTools.run(List.of("unsquashfs", "-f", "-n", "-d", target.toString(), recoveryMount.resolve(PATH).toString()));
  }
}
