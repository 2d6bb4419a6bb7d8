package io.elemental.conformance.harness.support;

import io.elemental.conformance.fixtures.process.MissingHostToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The set-up scripts own their build recipes (and so the cache folders they fill): the harness
 * asks a script where its build is ({@code --cached-only}: the folder on stdout, or exit 3 and
 * why on stderr) instead of computing the folder itself.
 */
public final class SetupScripts {
  private SetupScripts() {}

  /** The folder {@code script} names for its cached build, or a failure with its words and {@code fix}. */
  public static Path cachedBinDir(String script, Path cacheDir, String fix) {
    Path file = repositoryFile(script);
    try {
      ProcessBuilder builder = new ProcessBuilder("bash", file.toString(), "--cached-only");
      builder.environment().put("ELEMENTAL_CACHE", cacheDir.toString());
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
      if (process.exitValue() == 0 && !out.isEmpty()) return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
      throw new MissingHostToolException((err.isEmpty() ? script + " --cached-only exited " + process.exitValue() : err)
          + ". Fix: " + fix);
    } catch (IOException e) {
      throw new MissingHostToolException("cannot run " + file + ": " + e.getMessage() + ". Fix: " + fix);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + script + " for its cache", e);
    }
  }

  /** A file of this checkout, found from the working directory upwards. */
  public static Path repositoryFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) return candidate;
    }
    throw new MissingHostToolException(relative + " was not found above " + Path.of("").toAbsolutePath()
        + ": run the harness from its checkout");
  }
}
