package io.elemental.conformance.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan's one-time {@code instructions[]} in order on the host, stopping at the first one
 * that does not exit 0 (or cannot be started, or times out).
 *
 * <p>Each runs through its {@link CommandLauncher} (a process, unless told otherwise) as {@code command args...} in the working directory,
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
  private final CommandLauncher launcher;

  public InstructionRunner(Path workDir) {
    this(workDir, DEFAULT_TIMEOUT);
  }

  public InstructionRunner(Path workDir, Duration timeout) {
    this(workDir, timeout, new ProcessLauncher());
  }

  /** With {@code launcher} starting the commands (a simulated machine runs its toolkit in-process). */
  public InstructionRunner(Path workDir, Duration timeout, CommandLauncher launcher) {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    this.workDir = workDir.toAbsolutePath();
    this.timeout = timeout;
    this.launcher = launcher;
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

    Map<String, String> env = new LinkedHashMap<>();
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

    LOG.info("running instruction {} ({}): {}", index, instruction.name(), command);
    CommandLauncher.Exit exit = launcher.launch(command, env, workDir, timeout);
    return new Outcome(index, instruction.name(), exit.code(), exit.output(), exit.error());
  }
}
