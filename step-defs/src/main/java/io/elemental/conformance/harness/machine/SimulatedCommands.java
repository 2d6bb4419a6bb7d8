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
 * ({@code grub2-editenv}, {@code shutdown}, {@code hostnamectl}) act on the simulated machine; a shell
 * ({@code sh}, {@code bash}: a plan's scripts, with the machine's absolute paths) runs the host's shell
 * chrooted into the machine's root, with the host's {@code /usr} (read-only: the machine's own {@code /usr}
 * is not seen there) and {@code /bin}, {@code /lib}... linked to it, in a mount namespace of its own (so the
 * host sees no mount); anything else
 * runs on the host. What they print also goes to the machine's console.
 */
final class SimulatedCommands implements CommandLauncher {
  private final Supplier<RunningSystem> system;
  private final Supplier<Path> root;
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
    this.root = root;
    this.machineCommands = Map.of("grub2-editenv", args -> grubEditenv(root.get(), args), "shutdown",
        SimulatedCommands::shutdown, "hostnamectl", SimulatedCommands::hostnamectl);
  }

  /** {@code hostnamectl set-hostname --transient NAME}: the transient hostname of the machine, on its console. */
  private static String hostnamectl(List<String> args) {
    if (args.isEmpty() || !"set-hostname".equals(args.get(0))) {
      throw new IllegalArgumentException("hostnamectl: only 'set-hostname [--transient] NAME' is simulated, not " + args);
    }
    return "hostname set to " + args.get(args.size() - 1) + (args.contains("--transient") ? " (transient)" : "") + "\n";
  }

  private static final List<String> SHELLS = List.of("sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash");

  /**
   * A shell of the plan, run in the machine's root: see the class comment. The root is put together in a
   * tmpfs of the mount namespace: the machine's top-level entries bound in (nothing is written to the machine),
   * the host's {@code /usr} (read-only) and {@code /dev}, and the simulated partitions the machine's persistent
   * paths and {@code /oem} link to, at their own absolute paths, so those links resolve inside.
   */
  private Exit inMachineRoot(List<String> command, Map<String, String> env, Path workDir, Duration timeout)
      throws IOException {
    Path machine = root.get().toAbsolutePath().normalize();
    List<String> outside = linkedOutside(machine);
    Path absoluteWork = workDir.toAbsolutePath();
    String inside = absoluteWork.startsWith(machine) ? "/" + machine.relativize(absoluteWork) : "/";
    Map<String, String> machineEnv = new java.util.LinkedHashMap<>(env);
    machineEnv.replaceAll((k, v) -> v.startsWith(machine.toString()) ? "/" + machine.relativize(Path.of(v)) : v);
    String script = String.join("\n",
        "set -e",
        "r=\"$1\"; wd=\"$2\"; n=\"$3\"; shift 3",
        "t=/mnt; mount -t tmpfs elemental-sim-root \"$t\"",
        "for e in \"$r\"/* \"$r\"/.[!.]*; do",
        "  [ -e \"$e\" ] || [ -L \"$e\" ] || continue",
        "  b=${e##*/}",
        "  case \"$b\" in usr|dev) continue;; esac",
        "  if [ -L \"$e\" ]; then cp -P \"$e\" \"$t/$b\"",
        "  elif [ -d \"$e\" ]; then mkdir \"$t/$b\"; mount --bind \"$e\" \"$t/$b\"",
        "  else : > \"$t/$b\"; mount --bind \"$e\" \"$t/$b\"; fi",
        "done",
        "mkdir \"$t/usr\" \"$t/dev\"",
        "mount --bind /usr \"$t/usr\"; mount -o remount,bind,ro \"$t/usr\"; mount --bind /dev \"$t/dev\"",
        "for d in bin sbin lib lib64; do [ -e \"$t/$d\" ] || [ -L \"$t/$d\" ] || ln -s \"usr/$d\" \"$t/$d\"; done",
        "while [ \"$n\" -gt 0 ]; do mkdir -p \"$t$1\"; mount --bind \"$1\" \"$t$1\"; shift; n=$((n-1)); done",
        "exec chroot \"$t\" /usr/bin/env -C \"$wd\" \"$@\"");
    List<String> wrapped = new java.util.ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c", script, "in-machine", machine.toString(), inside, Integer.toString(outside.size())));
    wrapped.addAll(outside);
    wrapped.addAll(command);
    return host.launch(wrapped, machineEnv, workDir, timeout);
  }

  /** The directories outside the root that the root's absolute links point to (the simulated partitions). */
  private static List<String> linkedOutside(Path machine) throws IOException {
    java.util.TreeSet<String> targets = new java.util.TreeSet<>();
    try (var walk = java.nio.file.Files.walk(machine, 4)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (!java.nio.file.Files.isSymbolicLink(p)) continue;
        Path target = java.nio.file.Files.readSymbolicLink(p);
        if (!target.isAbsolute() || target.normalize().startsWith(machine)) continue;
        if (!java.nio.file.Files.isDirectory(target)) continue;
        String first = target.normalize().getName(0).toString();
        if (java.nio.file.Files.exists(machine.resolve(first), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("cannot run a shell in " + machine + ": its link " + p + " points to " + target
              + ", under a path the machine has itself (/" + first + ")");
        }
        targets.add(target.normalize().toString());
      }
    }
    List<String> outermost = new java.util.ArrayList<>();
    for (String t : targets) {
      if (outermost.stream().noneMatch(o -> t.startsWith(o + "/"))) outermost.add(t);
    }
    return outermost;
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
    if (SHELLS.contains(command.get(0))) {
      Exit exit = inMachineRoot(command, env, workDir, timeout);
      if (exit.output() != null) new String(exit.output(), StandardCharsets.UTF_8).lines().forEach(console);
      return exit;
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
