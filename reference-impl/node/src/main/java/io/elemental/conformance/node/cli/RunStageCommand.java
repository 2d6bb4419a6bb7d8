package io.elemental.conformance.node.cli;

import io.elemental.conformance.node.cloudconfig.ConfigPaths;
import io.elemental.conformance.node.cloudconfig.RunLog;
import io.elemental.conformance.node.cloudconfig.StageRunner;
import io.elemental.conformance.node.cloudconfig.SystemRoot;
import io.elemental.conformance.node.cloudconfig.Target;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code elemental run-stage <stage>}: the yip stages of the cloud-config files in
 * {@code /system/oem}, {@code /oem} and {@code /usr/local/cloud-config} ({@code <stage>.before},
 * {@code <stage>}, {@code <stage>.after}). Exit 0 whatever failed, unless {@code --strict}, as
 * elemental-toolkit's command.
 */
@Command(name = "run-stage", mixinStandardHelpOptions = true,
    description = {"Runs a yip stage (rootfs, initramfs, fs, boot, network, reconcile, before-install, ...) of the"
        + " cloud-config in /system/oem, /oem and /usr/local/cloud-config.",
        "With --root, every path is taken under that directory and commands run there with ROOT set to it;"
            + " systemctl acts on its unit links (--root), and what only a running system can do (systemctl start,"
            + " modules, sysctl, the kernel's hostname) is a line saying it was not done."})
final class RunStageCommand implements Callable<Integer> {
  private final PrintWriter out;

  @Parameters(index = "0", paramLabel = "STAGE", description = "The stage, e.g. boot.")
  String stage;

  @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
      description = "The system to act on: / (default) or a directory standing for it.")
  Path root;

  @Option(names = "--strict", description = "Exit 1 when a step failed or a file did not load.")
  boolean strict;

  @Option(names = "--cloud-init-paths", split = ",", paramLabel = "PATH",
      description = "More files or directories to read, after the default ones (paths of the system, under --root).")
  List<String> extraPaths = new ArrayList<>();

  RunStageCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    RunLog log = new RunLog(out);
    if (!Files.isDirectory(root)) {
      log.line("ERROR: --root " + root + " is not a directory. Fix: name the directory standing for the system's /");
      return ElementalMain.FAILED;
    }
    SystemRoot system = SystemRoot.at(root);
    List<Path> sources = ConfigPaths.resolve(system, ConfigPaths.of(system, extraPaths, log));
    new StageRunner(Target.of(system), log, Clock.systemUTC()).run(stage, sources);
    return strict && log.failures() > 0 ? ElementalMain.FAILED : 0;
  }
}
