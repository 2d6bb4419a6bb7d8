package io.elemental.conformance.node.cli;

import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.SystemUpgrade;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code elemental}, the toolkit's command line, as upgrade plans call it. Exit 0 when the
 * system is (now) running what was asked, 1 when it is not, with one line saying why:
 * {@code elemental: ERROR: <cause and fix>}.
 */
@Command(name = "elemental", mixinStandardHelpOptions = true, subcommands = ElementalMain.Upgrade.class,
    description = "Elemental toolkit (reference implementation).")
public final class ElementalMain {
  static final String PREFIX = "elemental: ";
  static final int FAILED = 1;

  private final Supplier<RunningSystem> system;
  private final Clock clock;

  private ElementalMain(Supplier<RunningSystem> system, Clock clock) {
    this.system = system;
    this.clock = clock;
  }

  /** The command line bound to {@code system}, printing to {@code out}. */
  public static CommandLine command(Supplier<RunningSystem> system, Clock clock, PrintWriter out) {
    ElementalMain main = new ElementalMain(system, clock);
    return new CommandLine(main, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == Upgrade.class) return type.cast(new Upgrade(main, out));
        return CommandLine.defaultFactory().create(type);
      }
    }).setOut(out).setErr(out);
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
          line("already running " + source + " (booted " + system.bootedEntry() + ")");
          return 0;
        }
        line("upgraded to " + source + "; it boots next" + (reboot ? ", rebooting" : ""));
        if (reboot) system.reboot();
        return 0;
      } catch (ToolkitException e) {
        line("ERROR: " + e.getMessage());
        return FAILED;
      }
    }

    private void line(String text) {
      out.println(PREFIX + text);
      out.flush();
    }
  }
}
