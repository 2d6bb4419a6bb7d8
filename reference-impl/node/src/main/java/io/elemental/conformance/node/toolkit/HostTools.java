package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Linux tools the toolkit is made of (mkfs, debugfs, mksquashfs, grub-mkstandalone),
 * the same on both tiers. A tool that is missing or fails is a {@link ToolkitException} naming
 * the tool, its output and the package that brings it.
 */
final class HostTools {
  private static final long TIMEOUT_MINUTES = 20;

  private HostTools() {}

  /** Runs {@code command} and returns its output (stdout and stderr together). */
  static String run(List<String> command) {
    Path log = null;
    try {
      log = Files.createTempFile("elemental-toolkit-", ".out");
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new ToolkitException(command.get(0) + " could not be started: " + e.getMessage() + ". Fix: install "
            + packageOf(command.get(0)) + " (apt-get install " + packageOf(command.get(0)) + ")", e);
      }
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new ToolkitException(command.get(0) + " did not finish in " + TIMEOUT_MINUTES + " minutes: " + command);
      }
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new ToolkitException(command.get(0) + " failed (exit " + process.exitValue() + "): " + output.strip());
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

  static String packageOf(String tool) {
    return switch (tool) {
      case "mkfs.ext2", "mkfs.ext4", "debugfs" -> "e2fsprogs";
      case "mksquashfs", "unsquashfs" -> "squashfs-tools";
      case "grub-mkstandalone", "grub-editenv" -> "grub-efi-amd64-bin grub-common";
      case "mkfs.vfat" -> "dosfstools";
      case "sfdisk", "mount", "umount", "blkid" -> "util-linux";
      default -> "the package that provides " + tool;
    };
  }
}
