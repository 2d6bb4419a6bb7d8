package io.elemental.conformance.node.agent;

import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system agent's loop body: read the plan Secret, let the {@link PlanApplier} decide and
 * apply, write back what changed on the version read. One instance per agent start (its first
 * pass is forced, as the real agent's is).
 */
public final class SystemAgent {
  private static final Logger LOG = LoggerFactory.getLogger(SystemAgent.class);

  private final PlanSecretClient secrets;
  private final PlanApplier applier;

  public SystemAgent(PlanSecretClient secrets, PlanApplier applier) {
    this.secrets = secrets;
    this.applier = applier;
  }

  /** One pass of the loop (the real agent makes one every 5 s). */
  public PlanApplier.Result runOnce() throws IOException {
    PlanSecretClient.PlanSecret secret = secrets.read();
    Map<String, byte[]> data = secret.data();
    PlanApplier.Result result = applier.apply(data);
    if (result.changed(data) && !secrets.write(secret, result.data())) {
      // As the real agent: the next pass reads the new plan.
      LOG.info("the plan Secret changed while its plan was applied; the next pass applies the new one");
    }
    return result;
  }
}
