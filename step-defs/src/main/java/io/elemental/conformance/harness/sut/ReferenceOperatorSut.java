package io.elemental.conformance.harness.sut;

import io.elemental.conformance.operator.ElementalOperator;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The reference operator of this repository, run inside the test JVM. */
public final class ReferenceOperatorSut implements ElementalSut {
  private ElementalOperator operator;

  @Override
  public String describe() {
    return "reference: the Java reference operator, in-JVM";
  }

  @Override
  public void installCrds(KubernetesClient client) {
    ElementalOperator.installCrds(client);
  }

  @Override
  public void start(KubernetesClient client) {
    operator = ElementalOperator.start(client);
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
