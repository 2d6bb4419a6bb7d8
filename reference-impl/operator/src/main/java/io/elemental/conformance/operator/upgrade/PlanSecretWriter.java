package io.elemental.conformance.operator.upgrade;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes a plan Secret as an update carrying the resourceVersion it was computed from: a write
 * the agent (or another controller) made meanwhile is a 409, never overwritten; the change is
 * then computed again from a fresh read.
 */
public final class PlanSecretWriter {
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;

  public PlanSecretWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param desired the Secret to write, computed from some read of it
   * @param recompute the Secret to write given a fresh read; returning the read itself means nothing to do
   * @return the Secret as stored after the write (or as found, when nothing was left to do); empty
   *     when it was deleted meanwhile
   */
  public Optional<Secret> write(Secret desired, UnaryOperator<Secret> recompute) {
    Secret attempt = desired;
    for (int i = 1; ; i++) {
      try {
        return Optional.of(client.secrets().inNamespace(attempt.getMetadata().getNamespace()).resource(attempt).update());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return Optional.empty();
        if (e.getCode() != 409 || i >= ATTEMPTS) throw e;
      }
      Secret fresh = client.secrets().inNamespace(attempt.getMetadata().getNamespace())
          .withName(attempt.getMetadata().getName()).get();
      if (fresh == null) return Optional.empty();
      Secret next = recompute.apply(fresh);
      if (next == fresh || !UpgradeSecrets.differs(fresh, next)) return Optional.of(fresh);
      attempt = next;
    }
  }
}
