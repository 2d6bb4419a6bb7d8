package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.util.List;

/**
 * {@code systemctl}, as yip's plugin: {@code systemctl enable}, then {@code disable}, {@code mask}
 * and {@code start} of each unit, through {@code sh -c}. Under {@code --root} enable, disable and
 * mask act on the root's unit links ({@code systemctl --root=<root>}), and start is one line saying
 * it was not done (it only means something on the running system).
 */
final class SystemctlApplier implements StepApplier {
  @Override
  public String key() {
    return "systemctl";
  }

  @Override
  public void apply(Step step, StepContext context) {
    run("enable", step.systemctl().enable(), context);
    run("disable", step.systemctl().disable(), context);
    run("mask", step.systemctl().mask(), context);
    run("start", step.systemctl().start(), context);
  }

  private static void run(String verb, List<String> units, StepContext context) {
    SystemRoot root = context.root();
    for (String unit : units) {
      String script;
      if (root.live()) {
        script = "systemctl " + verb + " " + unit;
      } else if (verb.equals("start")) {
        context.note("not applied under --root: systemctl start " + unit + " (only on the live system)");
        continue;
      } else {
        script = "systemctl --root=" + Shell.quote(root.root().toString()) + " " + verb + " " + unit;
      }
      try {
        Shell.Result result = context.target().shell().run(script);
        if (result.exitCode() != 0) {
          context.fail("systemctl " + verb + " " + unit + " exited " + result.exitCode()
              + CommandsApplier.tail(result.output()));
        }
      } catch (IOException e) {
        context.fail("systemctl " + verb + " " + unit + ": " + Reasons.of(e));
      }
    }
  }
}
