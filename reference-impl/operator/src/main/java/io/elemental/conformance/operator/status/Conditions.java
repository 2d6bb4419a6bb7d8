package io.elemental.conformance.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** metav1.Condition bookkeeping: one condition per type, transition time kept unless the status flips. */
public final class Conditions {
  private Conditions() {}

  public static void set(List<Condition> conditions, HasMetadata owner, String type, boolean status,
      String reason, String message) {
    set(conditions, owner, type, status ? "True" : "False", reason, message);
  }

  /** {@code statusText}: True, False or Unknown (metav1.ConditionUnknown: not decided yet). */
  public static void set(List<Condition> conditions, HasMetadata owner, String type, String statusText,
      String reason, String message) {
    Optional<Condition> existing = find(conditions, type);
    String transition = existing.filter(c -> statusText.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    existing.ifPresent(conditions::remove);
    conditions.add(new ConditionBuilder()
        .withType(type)
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withLastTransitionTime(transition)
        .withObservedGeneration(owner.getMetadata().getGeneration())
        .build());
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Removes the condition of {@code type}, if any. */
  public static void remove(List<Condition> conditions, String type) {
    conditions.removeIf(c -> type.equals(c.getType()));
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
