package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The OS image's health checks: every executable in {@code /usr/libexec/elemental-checker/},
 * run with the argument {@code check}, in name order. The boot is healthy when all exit 0.
 */
public final class HealthCheckers {
  public static final String DIR = "usr/libexec/elemental-checker";
  private static final long TIMEOUT_SECONDS = 120;

  /** Whether the boot is healthy, and what the failing checker said. */
  public record Verdict(boolean healthy, String failure) {}

  private HealthCheckers() {}

  /** Runs the checkers under {@code root} ({@code /} on a machine, a simulated root in @sim). */
  public static Verdict run(Path root) {
    Path dir = root.resolve(DIR);
    if (!Files.isDirectory(dir)) return new Verdict(true, "");
    List<Path> checkers;
    try (Stream<Path> entries = Files.list(dir)) {
      checkers = entries.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).sorted().toList();
    } catch (IOException e) {
      return new Verdict(false, "cannot list " + dir + ": " + e.getMessage());
    }
    for (Path checker : checkers) {
      String name = checker.getFileName().toString();
      try {
        Process process = new ProcessBuilder(checker.toString(), "check").directory(root.toFile())
            .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return new Verdict(false, "health check " + name + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          return new Verdict(false, "health check " + name + " failed (exit " + process.exitValue() + ")"
              + (output.isEmpty() ? "" : ": " + output));
        }
      } catch (IOException e) {
        return new Verdict(false, "health check " + name + " could not run: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Verdict(false, "interrupted during health check " + name);
      }
    }
    return new Verdict(true, "");
  }
}
