package io.elemental.conformance.node.tpm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's tpm2-tools against one TPM. There is no resource manager on swtpm's TCP port, so
 * callers flush transient objects between commands ({@link #flushTransient}).
 */
final class Tpm2Tools {
  static final String INSTALL = "apt-get install -y tpm2-tools libtss2-tcti-swtpm0";
  private static final long TIMEOUT_SECONDS = 120;

  private final String tcti;

  Tpm2Tools(String tcti) {
    this.tcti = tcti;
  }

  String tcti() {
    return tcti;
  }

  /** Runs {@code tool args…} in {@code dir}; returns stdout, or throws with the command's stderr. */
  String run(Path dir, String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(locate(tool));
    command.addAll(List.of(args));
    Path out = dir.resolve(".stdout");
    Path err = dir.resolve(".stderr");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("TPM2TOOLS_TCTI", tcti);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TpmCommandException(displayed(tool, args), -1, "no answer within " + TIMEOUT_SECONDS + " s");
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new TpmCommandException(displayed(tool, args), process.exitValue(), stderr);
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TpmCommandException("could not run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TpmCommandException("interrupted while running " + tool, e);
    }
  }

  /** Like {@link #run} but reports failure as false (for probes such as "is this handle there?"). */
  boolean succeeds(Path dir, String tool, String... args) {
    try {
      run(dir, tool, args);
      return true;
    } catch (TpmCommandException e) {
      return false;
    }
  }

  /** Without a resource manager loaded objects stay in the TPM until flushed. */
  void flushTransient(Path dir) {
    run(dir, "tpm2_flushcontext", "-t");
  }

  private static List<String> displayed(String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(tool);
    command.addAll(List.of(args));
    return command;
  }

  private static String locate(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin:/usr/local/bin").split(":")) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    throw new IllegalStateException("'" + tool + "' (tpm2-tools) was not found on PATH. Fix: " + INSTALL);
  }
}
