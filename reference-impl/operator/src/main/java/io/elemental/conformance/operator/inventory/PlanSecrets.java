package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.operator.status.Owners;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The plan Secret of a machine (ELEMENTAL.md §5): named as its inventory, owned by it. */
public final class PlanSecrets {
  public static final String TYPE = "elemental.cattle.io/plan";
  public static final String PLAN_TYPE_ANNOTATION = "elemental.cattle.io/plan.type";
  public static final String EMPTY_PLAN = "{}";

  private PlanSecrets() {}

  /** The first plan of every machine: nothing to do. */
  public static Secret empty(MachineInventory inventory) {
    return new SecretBuilder()
        .withNewMetadata()
            .withName(inventory.getMetadata().getName())
            .withNamespace(inventory.getMetadata().getNamespace())
            .withLabels(Map.of(Elemental.MANAGED_LABEL, "true"))
            .withAnnotations(Map.of(PLAN_TYPE_ANNOTATION, "empty"))
            .withOwnerReferences(Owners.controller(inventory))
        .endMetadata()
        .withType(TYPE)
        .withData(Map.of("plan", Base64.getEncoder().encodeToString(EMPTY_PLAN.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** What the node's agent writes back as applied-checksum: hex SHA-256 of the plan bytes. */
  public static String checksum(byte[] plan) {
    return Sha256.hex(plan);
  }
}
