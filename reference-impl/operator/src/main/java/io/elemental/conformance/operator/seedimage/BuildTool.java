package io.elemental.conformance.operator.seedimage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A host program the seed image build runs (mksquashfs, grub-mkrescue, ...), with the Debian
 * package that ships it: missing, the build fails saying which {@code apt-get install} fixes it.
 * Runs are interruptible (a cancelled build kills its child) and bounded in time.
 */
record BuildTool(String name, String debianPackage) {
  static final BuildTool MKSQUASHFS = new BuildTool("mksquashfs", "squashfs-tools");
  static final BuildTool GRUB_MKRESCUE = new BuildTool("grub-mkrescue", "grub-common grub-efi-amd64-bin");
  static final BuildTool XORRISO = new BuildTool("xorriso", "xorriso");
  static final BuildTool MFORMAT = new BuildTool("mformat", "mtools");
  /** grub-mkrescue makes an EFI-bootable ISO only when GRUB's x86_64-efi modules are there. */
  static final Path GRUB_EFI_MODULES = Path.of("/usr/lib/grub/x86_64-efi");

  /** Every tool a build needs, checked before minutes are spent pulling: the first missing one fails with its fix. */
  static void requireAll() {
    for (BuildTool tool : new BuildTool[] {MKSQUASHFS, GRUB_MKRESCUE, XORRISO, MFORMAT}) {
      tool.require();
    }
    if (!Files.isDirectory(GRUB_EFI_MODULES)) {
      throw new SeedImageBuildException("GRUB's EFI modules (" + GRUB_EFI_MODULES + ") are not installed on the"
          + " operator's host: the seed image could not boot with UEFI. Fix: apt-get install -y grub-efi-amd64-bin");
    }
  }

  Path require() {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) return candidate;
    }
    throw new SeedImageBuildException("'" + name + "' is not installed on the operator's host, and building a seed"
        + " image needs it. Fix: apt-get install -y " + debianPackage);
  }

  /** Runs this tool with {@code args}; its output goes to {@code log}; a non-zero exit fails with the log's tail. */
  void run(List<String> args, Path log, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(require().toString());
    command.addAll(args);
    Process process;
    try {
      Files.createDirectories(log.getParent());
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new SeedImageBuildException(name + " could not be started: " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new SeedImageBuildException(name + " did not finish within " + timeout.toMinutes() + " min; see " + log);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SeedImageBuildException(name + " was stopped: the build was cancelled");
    }
    if (process.exitValue() != 0) {
      throw new SeedImageBuildException(name + " failed (exit " + process.exitValue() + "): " + tail(log));
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(see " + log + ")";
    }
  }
}
