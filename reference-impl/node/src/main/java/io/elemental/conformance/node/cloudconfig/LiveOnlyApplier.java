package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The keys that only mean something on a running kernel: {@code sysctl} (written to
 * {@code /proc/sys/<key with dots as slashes>}, as yip does) and {@code modules} ({@code modprobe},
 * a reference extension: yip v1.9.6 has no such key). Under {@code --root} each is one line saying
 * what was not done.
 */
final class LiveOnlyApplier {
  private LiveOnlyApplier() {}

  static final class Sysctl implements StepApplier {
    @Override
    public String key() {
      return "sysctl";
    }

    @Override
    public void apply(Step step, StepContext context) {
      for (Map.Entry<String, String> entry : step.sysctl().entrySet()) {
        String setting = entry.getKey() + "=" + entry.getValue();
        if (!context.root().live()) {
          context.note("not applied under --root: sysctl " + setting + " (only on the live system)");
          continue;
        }
        var path = context.root().resolve("/proc/sys/" + entry.getKey().replace('.', '/'));
        try {
          Files.write(path, entry.getValue().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          context.fail("sysctl " + setting + ": " + Reasons.of(e));
        }
      }
    }
  }

  static final class Modules implements StepApplier {
    @Override
    public String key() {
      return "modules";
    }

    @Override
    public void apply(Step step, StepContext context) {
      List<String> modules = step.modules();
      for (String module : modules) {
        if (!context.root().live()) {
          context.note("not applied under --root: modprobe " + module + " (only on the live system)");
          continue;
        }
        try {
          Shell.Result result = context.target().shell().run("modprobe " + Shell.quote(module));
          if (result.exitCode() != 0) {
            context.fail("modprobe " + module + " exited " + result.exitCode() + CommandsApplier.tail(result.output()));
          }
        } catch (IOException e) {
          context.fail("modprobe " + module + ": " + Reasons.of(e));
        }
      }
    }
  }
}
