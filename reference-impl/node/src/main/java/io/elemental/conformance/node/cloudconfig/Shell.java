package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a step's shell text with {@code sh -c}, as yip does for {@code commands}, {@code if} and the
 * {@code systemctl} and {@code modules} actions. On the live system a script runs as the runner
 * runs (its working directory and environment). Under {@code --root}, it runs in the root's
 * directory with {@code ROOT=<root>} in its environment: yip runs commands on the live system, so
 * a cloud-config meant for a root directory writes to {@code $ROOT/...}.
 */
public interface Shell {
  /** Exit code and output (stdout and stderr together) of one script. */
  record Result(int exitCode, String output) {}

  Result run(String script) throws IOException;

  /** The real shell for {@code root}. */
  static Shell forRoot(SystemRoot root) {
    return script -> {
      ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
      if (!root.live()) {
        builder.directory(root.root().toFile());
        builder.environment().put("ROOT", root.root().toString());
      }
      // Output to a file, not a pipe: a chatty command never blocks on a full pipe.
      Path log = Files.createTempFile("elemental-run-stage-", ".out");
      try {
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        int code = process.waitFor();
        return new Result(code, Files.readString(log, StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running sh -c " + script, e);
      } finally {
        Files.deleteIfExists(log);
      }
    };
  }

  /** {@code text} as one single-quoted shell word. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
