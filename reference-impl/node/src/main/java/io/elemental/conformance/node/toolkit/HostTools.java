package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Linux tools the toolkit is made of (mkfs, sfdisk, mount, debugfs, mksquashfs,
 * grub-mkstandalone), the same on both tiers. A tool that is missing or fails is a
 * {@link ToolkitException} naming the tool, its output and the Debian package that brings it.
 */
public final class HostTools {
  private static final long TIMEOUT_MINUTES = 20;

  private HostTools() {}

  public static String run(String... command) {
    return run(List.of(command), null);
  }

  public static String run(List<String> command) {
    return run(command, null);
  }

  /** Runs {@code command} with {@code input} on its stdin (none when null); returns stdout and stderr together. */
  public static String run(List<String> command, String input) {
    Path log = null;
    try {
      // Output goes to a file, not a pipe: a chatty tool can never block on a full pipe.
      log = Files.createTempFile("elemental-toolkit-", ".out");
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new ToolkitException(command.get(0) + " could not be started: " + e.getMessage() + ". Fix: apt-get install "
            + packageOf(command.get(0)), e);
      }
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new ToolkitException(command.get(0) + " did not finish in " + TIMEOUT_MINUTES + " minutes: " + command);
      }
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new ToolkitException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new ToolkitException("running " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolkitException("interrupted while running " + command.get(0), e);
    } finally {
      if (log != null) log.toFile().delete();
    }
  }

  /** Debian bookworm's package for each tool the toolkit runs. */
  static String packageOf(String tool) {
    return switch (tool) {
      case "sfdisk" -> "fdisk";
      case "mkfs.vfat" -> "dosfstools";
      case "mkfs.ext2", "mkfs.ext4", "debugfs" -> "e2fsprogs";
      case "mount", "umount", "losetup" -> "mount";
      case "blkid", "blockdev", "wipefs", "partx", "lsblk" -> "util-linux";
      case "udevadm" -> "udev";
      case "mksquashfs", "unsquashfs" -> "squashfs-tools";
      case "grub-mkstandalone", "grub-editenv" -> "grub-efi-amd64-bin grub-common";
      case "systemctl" -> "systemd";
      default -> "the package that provides " + tool;
    };
  }
}
