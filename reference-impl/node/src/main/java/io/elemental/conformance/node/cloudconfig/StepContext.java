package io.elemental.conformance.node.cloudconfig;

/** One step being applied: where it comes from, what it acts on, and where it reports. */
record StepContext(RunLog log, String file, String stage, String step, Target target) {
  SystemRoot root() {
    return target.root();
  }

  /** One thing of the step failed; the step goes on with the rest, as yip's plugins do. */
  void fail(String why) {
    log.failure(file, stage, step, why);
  }

  void note(String message) {
    log.note(file, stage, step, message);
  }
}
