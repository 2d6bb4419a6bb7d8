package io.elemental.conformance.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan's one-time {@code instructions[]} in order on the host, stopping at the first one
 * that does not exit 0 (or cannot be started, or times out).
 *
 * <p>Each runs through {@link ProcessBuilder} as {@code command args...} in the working directory,
 * with the agent's environment plus the instruction's {@code env} ({@code K=V}) and, as
 * rancher/system-agent sets them, {@code CATTLE_AGENT_EXECUTION_PWD} and
 * {@code CATTLE_AGENT_ATTEMPT_NUMBER}. stdout and stderr are captured together and kept, by
 * instruction name, when {@code saveOutput} is set. An empty {@code command} runs
 * {@code <workDir>/run.sh}, the real agent's default.
 *
 * <p>{@code image} is ignored: the real agent extracts an image-based instruction's image into the
 * execution directory and runs its command from there, but the plans Elemental's operator writes
 * (bootstrap, reset) run host commands, and the reference agent has no container runtime.
 */
public final class InstructionRunner {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  static final String EXECUTION_PWD_ENV = "CATTLE_AGENT_EXECUTION_PWD";
  static final String ATTEMPT_ENV = "CATTLE_AGENT_ATTEMPT_NUMBER";
  static final String DEFAULT_COMMAND = "run.sh";

  private static final Logger LOG = LoggerFactory.getLogger(InstructionRunner.class);

  private final Path workDir;
  private final Duration timeout;

  public InstructionRunner(Path workDir) {
    this(workDir, DEFAULT_TIMEOUT);
  }

  public InstructionRunner(Path workDir, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    this.workDir = workDir.toAbsolutePath();
    this.timeout = timeout;
  }

  /** What one instruction did. {@code exitCode} is -1 when it could not start or timed out. */
  public record Outcome(int index, String name, int exitCode, byte[] output, String error) {
    public boolean succeeded() {
      return exitCode == 0 && error == null;
    }
  }

  /**
   * The instructions that ran (the last is the failure, if any) and the saved outputs, by
   * instruction name, in the order they ran.
   */
  public record Result(boolean succeeded, List<Outcome> outcomes, Map<String, byte[]> savedOutputs) {
  }

  /**
   * @param attempt the 1-based attempt number for this plan, passed to the commands as
   *     {@code CATTLE_AGENT_ATTEMPT_NUMBER} (the real agent's failure-count + 1)
   */
  public Result run(List<Plan.Instruction> instructions, int attempt) throws IOException {
    Files.createDirectories(workDir);
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, byte[]> saved = new LinkedHashMap<>();
    for (int i = 0; i < instructions.size(); i++) {
      Plan.Instruction instruction = instructions.get(i);
      Outcome outcome = runOne(i, instruction, attempt);
      outcomes.add(outcome);
      if (instruction.saveOutput()) {
        if (instruction.name() == null || instruction.name().isEmpty()) {
          LOG.warn("instruction {} has saveOutput but no name; its output is not saved", i);
        } else {
          saved.put(instruction.name(), outcome.output());
        }
      }
      if (!outcome.succeeded()) {
        LOG.warn("instruction {} ({}) failed: exit {}{}", i, instruction.name(), outcome.exitCode(),
            outcome.error() == null ? "" : ", " + outcome.error());
        return new Result(false, List.copyOf(outcomes), saved);
      }
    }
    return new Result(true, List.copyOf(outcomes), saved);
  }

  private Outcome runOne(int index, Plan.Instruction instruction, int attempt) throws IOException {
    List<String> command = new ArrayList<>();
    String executable = instruction.command();
    command.add(executable == null || executable.isEmpty() ? workDir.resolve(DEFAULT_COMMAND).toString() : executable);
    command.addAll(instruction.args());
    // instruction.image() is deliberately not used: see the class comment.

    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    for (String entry : instruction.env()) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        LOG.warn("instruction {}: env entry '{}' is not K=V; ignored", index, entry);
        continue;
      }
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    env.put(EXECUTION_PWD_ENV, workDir.toString());
    env.put(ATTEMPT_ENV, Integer.toString(attempt));

    // Output goes to a private temp file (not in workDir, which the command sees) rather than a pipe: no reader thread, and a chatty command never blocks.
    Path log = Files.createTempFile("elemental-instruction-" + index + "-", ".out");
    try {
      builder.redirectOutput(log.toFile());
      LOG.info("running instruction {} ({}): {}", index, instruction.name(), command);
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        return new Outcome(index, instruction.name(), -1, new byte[0], "could not start " + command.get(0) + ": "
            + e.getMessage());
      }
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        return new Outcome(index, instruction.name(), -1, Files.readAllBytes(log), "interrupted");
      }
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new Outcome(index, instruction.name(), -1, Files.readAllBytes(log), "timed out after " + timeout);
      }
      return new Outcome(index, instruction.name(), process.exitValue(), Files.readAllBytes(log), null);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
