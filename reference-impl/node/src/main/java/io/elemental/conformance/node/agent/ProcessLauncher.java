package io.elemental.conformance.node.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs instructions as host processes, as rancher/system-agent does, keeping stdout and stderr
 * together and, when told to, echoing each line as it comes (the reference OS sends them to its
 * console, so a long instruction such as an upgrade shows its progress in the serial log).
 */
public final class ProcessLauncher implements CommandLauncher {
  /** How long to keep reading after the process is gone: a child it left behind may hold the pipe open. */
  private static final long DRAIN_MILLIS = 2_000;

  private final Consumer<String> echo;

  public ProcessLauncher() {
    this(line -> { });
  }

  public ProcessLauncher(Consumer<String> echo) {
    this.echo = echo;
  }

  @Override
  public Exit launch(List<String> command, Map<String, String> env, Path workDir, Duration timeout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Exit(-1, new byte[0], "could not start " + command.get(0) + ": " + e.getMessage());
    }
    OutputReader output = new OutputReader(process.getInputStream(), echo);
    Thread reader = new Thread(output, "instruction-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(DRAIN_MILLIS);
        return new Exit(-1, output.bytes(), "timed out after " + timeout);
      }
      reader.join(DRAIN_MILLIS);
      return new Exit(process.exitValue(), output.bytes(), null);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Exit(-1, output.bytes(), "interrupted");
    }
  }

  /** Drains the process's output so a chatty command never blocks, keeping every byte and echoing each line. */
  private static final class OutputReader implements Runnable {
    private final InputStream in;
    private final Consumer<String> echo;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    OutputReader(InputStream in, Consumer<String> echo) {
      this.in = in;
      this.echo = echo;
    }

    @Override
    public void run() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (kept) {
            kept.write(buffer, 0, n);
          }
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              echo.accept(line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(buffer[i]);
            }
          }
        }
      } catch (IOException e) {
        // The pipe closed under us (the process was killed): what was read is kept.
      }
      if (line.size() > 0) echo.accept(line.toString(StandardCharsets.UTF_8));
    }

    byte[] bytes() {
      synchronized (kept) {
        return kept.toByteArray();
      }
    }
  }
}
