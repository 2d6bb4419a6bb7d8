package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;

/**
 * One key of a step, applied as yip's plugin of the same name applies it. An applier reports
 * each failure through the context and goes on with the rest of its key; an exception is one
 * failure of the whole key.
 */
interface StepApplier {
  /** The step key, for the failure line. */
  String key();

  void apply(Step step, StepContext context) throws IOException;
}
