package io.elemental.conformance.operator.upgrade;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes label selector matching ({@code matchLabels} and {@code matchExpressions} with
 * {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}), except that an empty or
 * missing selector selects nothing: a ManagedOSImage without a {@code nodeSelector} must not
 * upgrade every machine of the namespace.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** Whether the selector has any requirement at all; one without selects no machine. */
  public static boolean selectsAny(LabelSelector selector) {
    return selector != null
        && (!Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).isEmpty()
            || !Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of()).isEmpty());
  }

  /**
   * @throws IllegalArgumentException when an expression has an operator other than the four
   *     above (its message names it and the fix)
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (!selectsAny(selector)) return false;
    Map<String, String> have = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> wanted : Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).entrySet()) {
      if (!wanted.getValue().equals(have.get(wanted.getKey()))) return false;
    }
    for (LabelSelectorRequirement expression : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
      if (!matches(expression, have)) return false;
    }
    return true;
  }

  /** Checks every expression's operator, so a bad selector is reported even when no machine has labels. */
  public static void validate(LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) return;
    selector.getMatchExpressions().forEach(e -> matches(e, Map.of()));
  }

  private static boolean matches(LabelSelectorRequirement expression, Map<String, String> labels) {
    String key = expression.getKey();
    List<String> values = Optional.ofNullable(expression.getValues()).orElse(List.of());
    String operator = expression.getOperator() == null ? "" : expression.getOperator();
    return switch (operator) {
      case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
      // As Kubernetes: a machine without the label is not in the excluded set.
      case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
      case "Exists" -> labels.containsKey(key);
      case "DoesNotExist" -> !labels.containsKey(key);
      default -> throw new IllegalArgumentException("spec.nodeSelector expression on key '" + key
          + "' has operator '" + operator + "'. Fix: use In, NotIn, Exists or DoesNotExist");
    };
  }
}
