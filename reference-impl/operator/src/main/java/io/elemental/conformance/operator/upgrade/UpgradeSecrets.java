package io.elemental.conformance.operator.upgrade;

import io.elemental.conformance.operator.inventory.PlanSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan Secret with the upgrade in it, and what its agent reported about that plan. Only
 * {@code plan}, {@code max-failures} and the plan-type annotation are touched; the agent's keys
 * and everything else are left as they are.
 */
public final class UpgradeSecrets {
  /** An upgrade that fails (or is rolled back) is not retried by the agent: the user changes the ManagedOSImage. */
  public static final String MAX_FAILURES = "1";
  public static final String UPGRADE_PLAN_TYPE = "upgrade";

  private UpgradeSecrets() {}

  /**
   * The Secret as it should be, a copy of {@code current}; its {@code resourceVersion} is kept so
   * writing it conflicts with any write made since {@code current} was read.
   *
   * @throws IllegalArgumentException when the plan in it cannot hold the upgrade (message says why)
   */
  public static Secret desired(Secret current, UpgradeInstruction upgrade) {
    byte[] plan = UpgradePlans.compose(PlanSecretData.bytes(current, PlanSecretData.PLAN), upgrade);
    Map<String, String> data = new LinkedHashMap<>(Optional.ofNullable(current.getData()).orElse(Map.of()));
    data.put(PlanSecretData.PLAN, PlanSecretData.encode(plan));
    data.put(PlanSecretData.MAX_FAILURES, PlanSecretData.encode(MAX_FAILURES));
    Map<String, String> annotations = new LinkedHashMap<>(
        Optional.ofNullable(current.getMetadata().getAnnotations()).orElse(Map.of()));
    // bootstrap and reset plans keep their type: the upgrade rides along in them.
    String type = annotations.get(PlanSecrets.PLAN_TYPE_ANNOTATION);
    if (type == null || type.equals("empty")) annotations.put(PlanSecrets.PLAN_TYPE_ANNOTATION, UPGRADE_PLAN_TYPE);
    return new SecretBuilder(current)
        .editMetadata().withAnnotations(annotations).endMetadata()
        .withData(data)
        .build();
  }

  /** Whether {@code current}'s plan already is {@code desired}'s: the upgrade is written. */
  public static boolean planWritten(Secret current, Secret desired) {
    return Arrays.equals(PlanSecretData.bytes(current, PlanSecretData.PLAN),
        PlanSecretData.bytes(desired, PlanSecretData.PLAN));
  }

  /** Whether writing {@code desired} would change anything. */
  public static boolean differs(Secret current, Secret desired) {
    return !Objects.equals(current.getData(), desired.getData())
        || !Objects.equals(current.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
  }

  /** The agent's verdict on the plan the Secret holds now (which holds the upgrade). */
  public static Progress outcome(Secret secret) {
    String checksum = PlanSecrets.checksum(PlanSecretData.bytes(secret, PlanSecretData.PLAN));
    if (checksum.equals(PlanSecretData.text(secret, PlanSecretData.APPLIED_CHECKSUM))) {
      return new Progress(MachineState.Upgraded, "upgrade applied");
    }
    if (checksum.equals(PlanSecretData.text(secret, PlanSecretData.FAILED_CHECKSUM))) {
      return new Progress(MachineState.Failed, FailedOutputs.lastLine(
          PlanSecretData.bytes(secret, PlanSecretData.FAILED_OUTPUT), UpgradeInstruction.NAME)
          .orElse("the upgrade failed"));
    }
    return new Progress(MachineState.Upgrading, "upgrade plan written, waiting for the machine's agent");
  }

  public record Progress(MachineState state, String message) {}
}
