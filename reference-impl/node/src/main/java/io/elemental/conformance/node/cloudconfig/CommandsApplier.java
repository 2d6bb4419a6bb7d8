package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.util.List;

/**
 * {@code commands} (and cloud-init's {@code runcmd}), as yip's {@code Commands}: each with
 * {@code sh -c}, in order; one that fails is reported and the next still runs. Output lines are
 * shown (the last few of a failing command in its failure line).
 */
final class CommandsApplier implements StepApplier {
  private static final int SHOWN_LINES = 20;

  @Override
  public String key() {
    return "commands";
  }

  @Override
  public void apply(Step step, StepContext context) {
    for (String command : step.commands()) {
      try {
        Shell.Result result = context.target().shell().run(command);
        if (result.exitCode() != 0) {
          context.fail("command " + quoted(command) + " exited " + result.exitCode() + tail(result.output()));
        } else {
          List<String> lines = result.output().lines().toList();
          lines.stream().limit(SHOWN_LINES).forEach(l -> context.note("| " + l));
          if (lines.size() > SHOWN_LINES) context.note("| ... (" + (lines.size() - SHOWN_LINES) + " more lines)");
        }
      } catch (IOException e) {
        context.fail("command " + quoted(command) + " could not run: " + Reasons.of(e));
      }
    }
  }

  static String quoted(String command) {
    String oneLine = command.strip().replace("\n", "; ");
    return "\"" + (oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine) + "\"";
  }

  static String tail(String output) {
    List<String> lines = output.strip().lines().toList();
    if (lines.isEmpty()) return "";
    List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    return ": " + String.join(" / ", last);
  }
}
