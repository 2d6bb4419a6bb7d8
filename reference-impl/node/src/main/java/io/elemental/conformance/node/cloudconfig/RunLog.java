package io.elemental.conformance.node.cloudconfig;

import java.io.PrintWriter;

/**
 * The console lines of a stage run, one per event, each naming the file (as the system sees it)
 * and, for a step, its stage and name (its index when it has none, as yip names it):
 * {@code elemental run-stage: /oem/90_custom.yaml: stage boot step "users": <why>}. Counts what
 * failed, for {@code --strict}.
 */
public final class RunLog {
  public static final String PREFIX = "elemental run-stage: ";

  private final PrintWriter out;
  private int failures;
  private int steps;

  public RunLog(PrintWriter out) {
    this.out = out;
  }

  void failure(String file, String stage, String step, String why) {
    failures++;
    print(where(file, stage, step) + why);
  }

  void note(String file, String stage, String step, String message) {
    print(where(file, stage, step) + message);
  }

  void fileNote(String file, String message) {
    print(file + ": " + message);
  }

  /** A file yip would not load: {@code <file>:<line>: <reason>; file skipped}. */
  void fileSkipped(String file, int line, String reason) {
    failures++;
    print(file + (line > 0 ? ":" + line : "") + ": " + reason + "; file skipped");
  }

  void stepApplied() {
    steps++;
  }

  public void line(String text) {
    print(text);
  }

  public int failures() {
    return failures;
  }

  public int stepsApplied() {
    return steps;
  }

  private static String where(String file, String stage, String step) {
    return file + ": stage " + stage + " step \"" + step + "\": ";
  }

  private void print(String text) {
    out.println(PREFIX + text);
    out.flush();
  }
}
