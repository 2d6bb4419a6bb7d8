package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.YipConfig.KeyWarning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one stage as {@code elemental run-stage} does (elemental-toolkit's
 * {@code pkg/utils/runstage.go} with yip's executor): {@code <stage>.before}, then
 * {@code <stage>}, then {@code <stage>.after}; each over every cloud-init path in order, each path
 * read whole (its files in lexical order) before its steps run, each file's steps in order. Within
 * a step the keys apply in the order of elemental-toolkit's yip plugins: directories, files,
 * commands, hostname, sysctl, (modules), users, authorized_keys, systemctl, environment. Nothing
 * stops the run: a step whose {@code if} fails is skipped, a key that fails is reported and the
 * rest goes on, a file that does not load is reported once and skipped.
 */
public final class StageRunner {
  private final Target target;
  private final RunLog log;
  private final List<StepApplier> appliers;

  public StageRunner(Target target, RunLog log, Clock clock) {
    this.target = target;
    this.log = log;
    this.appliers = List.of(new DirectoriesApplier(), new FilesApplier(), new CommandsApplier(),
        new HostnameApplier(), new LiveOnlyApplier.Sysctl(), new LiveOnlyApplier.Modules(), new UsersApplier(clock),
        new AuthorizedKeysApplier(), new SystemctlApplier(), new EnvironmentApplier());
  }

  /** The three passes of {@code stage} over {@code sources} (paths on this machine, files or directories). */
  public void run(String stage, List<Path> sources) {
    int before = log.stepsApplied();
    int failed = log.failures();
    int files = 0;
    for (String pass : passes(stage)) {
      boolean main = pass.equals(stage);
      for (Path source : sources) {
        for (Loaded file : load(source)) {
          if (main) files++;
          run(pass, main, file);
        }
      }
    }
    log.line("stage " + stage + ": " + (log.stepsApplied() - before) + " steps applied from " + files + " files, "
        + (log.failures() - failed) + " failures");
  }

  /** Whether any file defines a step for {@code stage} or its before/after passes (to skip costly set-up). */
  public boolean definesSteps(String stage, List<Path> sources) {
    for (Path source : sources) {
      for (Loaded file : load(source)) {
        if (file.config() == null) continue;
        for (String pass : passes(stage)) {
          if (!file.config().steps(pass).isEmpty()) return true;
        }
      }
    }
    return false;
  }

  static List<String> passes(String stage) {
    return List.of(stage + ".before", stage, stage + ".after");
  }

  /** A file of a source: its config, or why it does not load. */
  private record Loaded(String name, YipConfig config, ConfigLoader.Failed failure) {}

  private List<Loaded> load(Path source) {
    List<Loaded> loaded = new ArrayList<>();
    List<Path> files;
    try {
      files = ConfigFiles.under(source);
    } catch (IOException e) {
      loaded.add(new Loaded(target.root().logical(source), null, new ConfigLoader.Failed(0, "cannot list it: "
          + Reasons.of(e))));
      return loaded;
    }
    for (Path file : files) {
      String name = target.root().logical(file);
      ConfigLoader.Result result = ConfigLoader.load(file);
      if (result instanceof ConfigLoader.Loaded ok) loaded.add(new Loaded(name, ok.config(), null));
      else loaded.add(new Loaded(name, null, (ConfigLoader.Failed) result));
    }
    return loaded;
  }

  private void run(String pass, boolean main, Loaded file) {
    if (file.config() == null) {
      if (main) log.fileSkipped(file.name(), file.failure().line(), file.failure().reason());
      return;
    }
    YipConfig config = file.config();
    if (main) {
      for (KeyWarning w : config.warnings()) {
        if (w.stage().isEmpty()) log.fileNote(file.name(), w.message());
      }
    }
    List<Step> steps = config.steps(pass);
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String stepName = step.name().isEmpty() ? Integer.toString(i) : step.name();
      for (KeyWarning w : config.warnings()) {
        if (w.stage().equals(pass) && w.step().equals(stepName)) log.note(file.name(), pass, stepName, w.message());
      }
      apply(new StepContext(log, file.name(), pass, stepName, target), step);
    }
  }

  private void apply(StepContext context, Step step) {
    if (!step.ifCondition().isBlank()) {
      try {
        Shell.Result result = target.shell().run(step.ifCondition());
        if (result.exitCode() != 0) {
          context.note("skipped: its if (" + CommandsApplier.quoted(step.ifCondition()) + ") exited "
              + result.exitCode());
          return;
        }
      } catch (IOException e) {
        context.note("skipped: its if could not run: " + Reasons.of(e));
        return;
      }
    }
    for (StepApplier applier : appliers) {
      try {
        applier.apply(step, context);
      } catch (IOException | RuntimeException e) {
        context.fail(applier.key() + ": " + Reasons.of(e));
      }
    }
    log.stepApplied();
  }
}
