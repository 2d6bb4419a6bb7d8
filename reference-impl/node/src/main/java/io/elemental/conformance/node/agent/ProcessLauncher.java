package io.elemental.conformance.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs instructions as host processes, as rancher/system-agent does. */
public final class ProcessLauncher implements CommandLauncher {
  @Override
  public Exit launch(List<String> command, Map<String, String> env, Path workDir, Duration timeout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    // Output goes to a private temp file (not in workDir, which the command sees) rather than a pipe: no reader thread, and a chatty command never blocks.
    Path log = Files.createTempFile("elemental-instruction-", ".out");
    try {
      builder.redirectOutput(log.toFile());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        return new Exit(-1, new byte[0], "could not start " + command.get(0) + ": " + e.getMessage());
      }
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        return new Exit(-1, Files.readAllBytes(log), "interrupted");
      }
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new Exit(-1, Files.readAllBytes(log), "timed out after " + timeout);
      }
      return new Exit(process.exitValue(), Files.readAllBytes(log), null);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
