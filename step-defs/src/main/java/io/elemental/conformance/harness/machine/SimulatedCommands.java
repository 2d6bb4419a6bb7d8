package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.agent.CommandLauncher;
import io.elemental.conformance.node.agent.ProcessLauncher;
import io.elemental.conformance.node.cli.ElementalMain;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.RunningSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a simulated machine's agent runs a plan's commands: {@code elemental} is the toolkit's own
 * command line, run in-process against the machine's disk; the machine's own commands
 * ({@code grub2-editenv}, {@code shutdown}) act on the simulated machine; anything else runs on
 * the host. What they print also goes to the machine's console.
 */
final class SimulatedCommands implements CommandLauncher {
  private final Supplier<RunningSystem> system;
  private final Consumer<String> console;
  private final Runnable stopIfPowerChanged;
  private final ProcessLauncher host = new ProcessLauncher();
  /** Commands that act on the machine itself (its boot loader, its power), which the host must not run. */
  private final Map<String, java.util.function.Function<List<String>, String>> machineCommands;

  /**
   * @param stopIfPowerChanged throws when the command cut the power or asked for a reboot: the
   *     agent that ran it is gone then, and writes nothing back
   */
  SimulatedCommands(Supplier<RunningSystem> system, Supplier<Path> root, Consumer<String> console,
      Runnable stopIfPowerChanged) {
    this.system = system;
    this.console = console;
    this.stopIfPowerChanged = stopIfPowerChanged;
    this.machineCommands = Map.of("grub2-editenv", args -> grubEditenv(root.get(), args), "shutdown",
        SimulatedCommands::shutdown);
  }

  /** {@code grub2-editenv FILE set KEY=VALUE...} on the machine's own files. */
  private static String grubEditenv(Path root, List<String> args) {
    if (args.size() < 3 || !"set".equals(args.get(1))) {
      throw new IllegalArgumentException("grub2-editenv: only 'FILE set KEY=VALUE...' is simulated, not " + args);
    }
    GrubEnv env = GrubEnv.read(root.resolve(args.get(0).replaceFirst("^/+", "")));
    for (String assignment : args.subList(2, args.size())) {
      int eq = assignment.indexOf('=');
      env.set(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
    env.write();
    return "";
  }

  /** {@code shutdown -r +1}: a reboot in a minute, which the scenario makes happen ("reboots"). */
  private static String shutdown(List<String> args) {
    return "Reboot scheduled (" + String.join(" ", args) + ")\n";
  }

  @Override
  public Exit launch(List<String> command, Map<String, String> env, Path workDir, Duration timeout) throws IOException {
    if (machineCommands.containsKey(command.get(0))) {
      String output = machineCommands.get(command.get(0)).apply(command.subList(1, command.size()));
      output.lines().forEach(console);
      return new Exit(0, output.getBytes(StandardCharsets.UTF_8), null);
    }
    if (!"elemental".equals(command.get(0))) return host.launch(command, env, workDir, timeout);
    StringWriter output = new StringWriter();
    int code = ElementalMain.command(system, Clock.systemUTC(), new PrintWriter(output, true))
        .execute(command.subList(1, command.size()).toArray(String[]::new));
    output.toString().lines().forEach(console);
    stopIfPowerChanged.run();
    return new Exit(code, output.toString().getBytes(StandardCharsets.UTF_8), null);
  }
}
