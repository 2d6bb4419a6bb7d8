package io.elemental.conformance.node.cli;

import io.elemental.conformance.node.toolkit.BlockDevice;
import io.elemental.conformance.node.toolkit.BootAssessment;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.HealthCheckers;
import io.elemental.conformance.node.toolkit.ImmutableRoot;
import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.Installer;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.Resetter;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.Snapshots;
import io.elemental.conformance.node.toolkit.SystemUpgrade;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.host.HostRunningSystem;
import io.elemental.conformance.node.toolkit.host.LinuxDisk;
import io.elemental.conformance.node.toolkit.host.LiveSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code elemental}, the toolkit's command line, as upgrade plans and the OS's units call it.
 * Exit 0 when the system is (now) as asked, 1 when it is not, with one line saying why:
 * {@code elemental: ERROR: <cause and fix>}.
 */
@Command(name = "elemental", mixinStandardHelpOptions = true,
    subcommands = {ElementalMain.Upgrade.class, ElementalMain.Install.class, ElementalMain.Reset.class,
        ElementalMain.BootAssessmentCommand.class, RunStageCommand.class},
    description = "Elemental toolkit (reference implementation).")
public final class ElementalMain {
  static final String PREFIX = "elemental: ";
  static final int FAILED = 1;

  private final Supplier<RunningSystem> system;
  private final Clock clock;
  private final Function<String, BlockDevice> devices;
  private final Path root;

  private ElementalMain(Supplier<RunningSystem> system, Clock clock, Function<String, BlockDevice> devices, Path root) {
    this.system = system;
    this.clock = clock;
    this.devices = devices;
    this.root = root;
  }

  /** The toolkit on this machine: its disks, its kernel command line, its {@code /}. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(command(HostRunningSystem::new, Clock.systemUTC(), out).execute(args));
  }

  /** The command line bound to {@code system}, printing to {@code out}; disks are this machine's. */
  public static CommandLine command(Supplier<RunningSystem> system, Clock clock, PrintWriter out) {
    return command(system, clock, LinuxDisk::of, Path.of("/"), out);
  }

  /** As {@link #command(Supplier, Clock, PrintWriter)}, with the disks and the root health checks run in. */
  public static CommandLine command(Supplier<RunningSystem> system, Clock clock, Function<String, BlockDevice> devices,
      Path root, PrintWriter out) {
    ElementalMain main = new ElementalMain(system, clock, devices, root);
    return new CommandLine(main, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == Upgrade.class) return type.cast(new Upgrade(main, out));
        if (type == Install.class) return type.cast(new Install(main, out));
        if (type == Reset.class) return type.cast(new Reset(main, out));
        if (type == BootAssessmentCommand.class) return type.cast(new BootAssessmentCommand(main, out));
        if (type == RunStageCommand.class) return type.cast(new RunStageCommand(out));
        return CommandLine.defaultFactory().create(type);
      }
    }).setOut(out).setErr(out);
  }

  private static void line(PrintWriter out, String text) {
    out.println(PREFIX + text);
    out.flush();
  }

  @Command(name = "upgrade", mixinStandardHelpOptions = true,
      description = "Installs an OS image as the new active snapshot; the current one becomes passive.")
  static final class Upgrade implements Callable<Integer> {
    private final ElementalMain main;
    private final PrintWriter out;

    @Option(names = "--system", required = true, paramLabel = "IMAGE",
        description = "The OS image: registry/repository:tag, oci://..., or dir:/path.")
    String source;

    @Option(names = "--reboot", description = "Reboot into the new snapshot after a successful upgrade.")
    boolean reboot;

    Upgrade(ElementalMain main, PrintWriter out) {
      this.main = main;
      this.out = out;
    }

    @Override
    public Integer call() {
      RunningSystem system = main.system.get();
      try {
        SystemUpgrade.Outcome outcome = new SystemUpgrade(main.clock).run(system, source);
        if (outcome == SystemUpgrade.Outcome.ALREADY_RUNNING) {
          line(out, "already running " + source + " (booted " + system.bootedEntry() + ")");
          return 0;
        }
        line(out, "upgraded to " + source + "; it boots next" + (reboot ? ", rebooting" : ""));
        if (reboot) system.reboot();
        return 0;
      } catch (ToolkitException e) {
        line(out, "ERROR: " + e.getMessage());
        return FAILED;
      }
    }
  }

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Partitions a disk and installs the OS on it (snapshot 1 active, recovery, GRUB); the disk's"
          + " content is lost.")
  static final class Install implements Callable<Integer> {
    private final ElementalMain main;
    private final PrintWriter out;

    @Option(names = "--device", required = true, paramLabel = "DISK", description = "The whole disk, e.g. /dev/vda.")
    String device;

    @Option(names = "--source", paramLabel = "IMAGE",
        description = "The OS: oci://registry/repository:tag or dir:/path (default: the live system's root).")
    String source;

    @Option(names = "--layout", defaultValue = "defaults", paramLabel = "defaults|small",
        description = "Partition sizes: Elemental's defaults (recovery 4 GiB, state 8 GiB) or small (1 GiB, 2 GiB,"
            + " persistent 64 MiB) (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--max-snaps", defaultValue = "" + Snapshots.DEFAULT_MAX_SNAPS,
        description = "Snapshots kept, active included (default: ${DEFAULT-VALUE}).")
    int maxSnaps;

    @Option(names = "--oem-file", paramLabel = "PATH=FILE",
        description = "A file for COS_OEM: PATH relative to /oem, content from FILE. Repeatable.")
    Map<String, Path> oemFiles = new LinkedHashMap<>();

    @Option(names = "--reboot", description = "Reboot into the installed system afterwards.")
    boolean reboot;

    @Option(names = "--poweroff", description = "Power off afterwards.")
    boolean powerOff;

    @Option(names = "--scratch", defaultValue = "/tmp/elemental-install", paramLabel = "DIR",
        description = "Where an OCI source is unpacked (default: ${DEFAULT-VALUE}).")
    Path scratch;

    Install(ElementalMain main, PrintWriter out) {
      this.main = main;
      this.out = out;
    }

    @Override
    public Integer call() {
      try {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : oemFiles.entrySet()) files.put(f.getKey(), Files.readAllBytes(f.getValue()));
        InstallSpec spec = LiveSystem.withLiveRecovery(new InstallSpec(main.devices.apply(device), layout(layout),
            source != null ? source : LiveSystem.defaultSource(), maxSnaps, files, scratch));
        line(out, "installing " + spec.source() + " to " + device + " (" + layout + " layout)");
        new Installer(main.clock, main.system.get().stageHooks()).install(spec);
        line(out, "installed to " + device);
      } catch (ToolkitException | IllegalArgumentException e) {
        line(out, "ERROR: " + e.getMessage());
        return FAILED;
      } catch (IOException e) {
        line(out, "ERROR: cannot read an --oem-file: " + e.getMessage() + ". Fix: name a readable file");
        return FAILED;
      }
      RunningSystem system = main.system.get();
      if (powerOff && system instanceof HostRunningSystem host) host.powerOff();
      if (reboot) system.reboot();
      return 0;
    }
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "From the recovery system: makes the recovery image the new active snapshot (fromAction: reset),"
          + " emptying COS_PERSISTENT and COS_OEM when asked; boot assessment is armed for the next boot.")
  static final class Reset implements Callable<Integer> {
    private final ElementalMain main;
    private final PrintWriter out;

    @Option(names = "--reset-persistent", description = "Empty COS_PERSISTENT (the persistent paths: /root, /home, ...).")
    boolean resetPersistent;

    @Option(names = "--reset-oem", description = "Empty COS_OEM (its registration, cloud-configs and GRUB environment).")
    boolean resetOem;

    @Option(names = "--reboot", description = "Reboot into the reset system afterwards.")
    boolean reboot;

    Reset(ElementalMain main, PrintWriter out) {
      this.main = main;
      this.out = out;
    }

    @Override
    public Integer call() {
      RunningSystem system = main.system.get();
      try {
        int snapshot = new Resetter(main.clock).reset(system, new Resetter.Options(resetPersistent, resetOem));
        line(out, "reset: snapshot " + snapshot + " made from the recovery image is active"
            + (resetPersistent ? ", COS_PERSISTENT emptied" : "") + (resetOem ? ", COS_OEM emptied" : "")
            + (reboot ? "; rebooting" : ""));
      } catch (ToolkitException e) {
        line(out, "ERROR: " + e.getMessage());
        return FAILED;
      }
      if (reboot) system.reboot();
      return 0;
    }
  }

  /** The layout named on the command line. */
  static DiskLayout layout(String name) {
    return switch (name) {
      case "defaults", "default" -> DiskLayout.defaults();
      case "small" -> DiskLayout.small();
      default -> throw new IllegalArgumentException("unknown layout '" + name + "'. Fix: use defaults or small");
    };
  }

  @Command(name = "boot-assessment", mixinStandardHelpOptions = true,
      description = "Runs the OS's health checks; a healthy boot ends the boot assessment, an unhealthy one reboots"
          + " so GRUB falls back to the next entry.")
  static final class BootAssessmentCommand implements Callable<Integer> {
    private final ElementalMain main;
    private final PrintWriter out;

    BootAssessmentCommand(ElementalMain main, PrintWriter out) {
      this.main = main;
      this.out = out;
    }

    @Override
    public Integer call() {
      RunningSystem system = main.system.get();
      String entry;
      try {
        entry = system.bootedEntry();
        if (HostRunningSystem.LIVE.equals(entry)) {
          line(out, "the live system has no boot assessment; nothing to do");
          return 0;
        }
        HealthCheckers.Verdict verdict = HealthCheckers.run(main.root);
        if (verdict.healthy()) {
          boolean fellBack;
          try (Partitions partitions = system.partitions()) {
            GrubEnv env = GrubEnv.read(partitions.oem().resolve("grubenv"));
            fellBack = BootAssessment.recordHealthy(env, entry);
            env.write();
          }
          if (fellBack) markUpgradeFailure();
          line(out, "boot of " + entry + " is healthy" + (fellBack ? "; it stays the default (the upgrade it fell"
              + " back from failed)" : ""));
          return 0;
        }
        line(out, "ERROR: boot of " + entry + " is unhealthy: " + verdict.failure() + ". Rebooting, so GRUB boots the"
            + " next entry of its fallback chain. Fix: correct the OS image's health check");
      } catch (ToolkitException e) {
        line(out, "ERROR: " + e.getMessage());
        return FAILED;
      }
      system.reboot();
      return FAILED;
    }

    private void markUpgradeFailure() {
      Path marker = main.root.resolve(ImmutableRoot.UPGRADE_FAILURE.substring(1));
      try {
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "");
      } catch (IOException e) {
        line(out, "could not write " + marker + ": " + e.getMessage());
      }
    }
  }
}
