package io.elemental.conformance.node.cloudconfig;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@link StageHooks} that run the stages with the {@link StageRunner}, never failing the action. */
public final class CloudConfigHooks implements StageHooks {
  private final SystemRoot live;
  private final PrintWriter out;
  private final Clock clock;
  private final Function<SystemRoot, Target> targets;

  public CloudConfigHooks(SystemRoot live, PrintWriter out, Clock clock, Function<SystemRoot, Target> targets) {
    this.live = live;
    this.out = out;
    this.clock = clock;
    this.targets = targets;
  }

  /** The hooks of the machine this JVM runs on, printing to stdout (the unit's console). */
  public static CloudConfigHooks live() {
    return new CloudConfigHooks(SystemRoot.LIVE, new PrintWriter(System.out, true), Clock.systemUTC(), Target::of);
  }

  /** The hooks of a simulated machine whose running system is the directory {@code root}. */
  public static CloudConfigHooks at(Path root, PrintWriter out) {
    return at(SystemRoot.at(root), out);
  }

  /** The hooks of a simulated machine whose running system is {@code root} (with its /oem mounted, say). */
  public static CloudConfigHooks at(SystemRoot root, PrintWriter out) {
    return new CloudConfigHooks(root, out, Clock.systemUTC(), Target::of);
  }

  @Override
  public void run(String stage, List<Path> extraSources) {
    RunLog log = new RunLog(out);
    try {
      List<Path> sources = new ArrayList<>(ConfigPaths.resolve(live, ConfigPaths.of(live, List.of(), log)));
      extraSources.stream().filter(Files::exists).filter(p -> !sources.contains(p)).forEach(sources::add);
      new StageRunner(targets.apply(live), log, clock).run(stage, sources);
    } catch (RuntimeException e) {
      log.line("hook " + stage + " stopped: " + Reasons.of(e) + "; the action goes on");
    }
  }

  @Override
  public void runIn(String stage, SystemRoot newRoot) {
    RunLog log = new RunLog(out);
    try {
      List<Path> sources = ConfigPaths.resolve(newRoot, ConfigPaths.of(newRoot, List.of(), log));
      new StageRunner(targets.apply(newRoot), log, clock).run(stage, sources);
    } catch (RuntimeException e) {
      log.line("hook " + stage + " stopped: " + Reasons.of(e) + "; the action goes on");
    }
  }

  @Override
  public boolean definesSteps(String stage, SystemRoot newRoot) {
    RunLog quiet = new RunLog(new PrintWriter(java.io.Writer.nullWriter()));
    try {
      List<Path> sources = ConfigPaths.resolve(newRoot, ConfigPaths.of(newRoot, List.of(), quiet));
      return new StageRunner(targets.apply(newRoot), quiet, clock).definesSteps(stage, sources);
    } catch (RuntimeException e) {
      return true;
    }
  }
}
