package io.elemental.conformance.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeLabelSelectorsTest {
  private static final Map<String, String> WORKER = Map.of("role", "worker", "zone", "a");

  @Test
  void emptyOrMissingSelectorSelectsNothing() {
    assertThat(LabelSelectors.matches(null, WORKER)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelector(), WORKER)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().withMatchLabels(Map.of()).build(), WORKER)).isFalse();
    assertThat(LabelSelectors.selectsAny(null)).isFalse();
  }

  @Test
  void matchLabelsNeedEveryPair() {
    assertThat(LabelSelectors.matches(labels(Map.of("role", "worker")), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(labels(Map.of("role", "worker", "zone", "b")), WORKER)).isFalse();
    assertThat(LabelSelectors.matches(labels(Map.of("role", "worker")), null)).isFalse();
  }

  @Test
  void expressions() {
    assertThat(LabelSelectors.matches(expression("zone", "In", "a", "b"), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "In", "b"), WORKER)).isFalse();
    assertThat(LabelSelectors.matches(expression("zone", "NotIn", "b"), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "NotIn", "a"), WORKER)).isFalse();
    // As Kubernetes: NotIn matches machines without the label.
    assertThat(LabelSelectors.matches(expression("rack", "NotIn", "1"), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(expression("rack", "In", "1"), WORKER)).isFalse();
    assertThat(LabelSelectors.matches(expression("role", "Exists"), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(expression("rack", "Exists"), WORKER)).isFalse();
    assertThat(LabelSelectors.matches(expression("rack", "DoesNotExist"), WORKER)).isTrue();
    assertThat(LabelSelectors.matches(expression("role", "DoesNotExist"), WORKER)).isFalse();
  }

  @Test
  void labelsAndExpressionsTogether() {
    LabelSelector both = new LabelSelectorBuilder().withMatchLabels(Map.of("role", "worker"))
        .addNewMatchExpression().withKey("zone").withOperator("In").withValues("b").endMatchExpression().build();
    assertThat(LabelSelectors.matches(both, WORKER)).isFalse();
    assertThat(LabelSelectors.matches(both, Map.of("role", "worker", "zone", "b"))).isTrue();
  }

  @Test
  void unknownOperatorIsAnErrorNamingTheFix() {
    assertThatThrownBy(() -> LabelSelectors.validate(expression("zone", "Gt", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Gt'").hasMessageContaining("Fix: use In, NotIn, Exists or DoesNotExist");
    LabelSelectors.validate(null);
    LabelSelectors.validate(expression("zone", "In", "a"));
  }

  private static LabelSelector labels(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator).withValues(values)
        .endMatchExpression().build();
  }
}
