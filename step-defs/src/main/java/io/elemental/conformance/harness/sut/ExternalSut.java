package io.elemental.conformance.harness.sut;

import io.elemental.conformance.operator.crd.ElementalCrds;
import io.elemental.conformance.harness.cluster.KubernetesCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * An implementation that already runs in the cluster (the real elemental-operator, a fork):
 * the harness starts nothing and only checks that its CRDs are served.
 */
public final class ExternalSut implements ElementalSut {

  @Override
  public String describe() {
    return "external: an Elemental operator already running in the cluster";
  }

  @Override
  public void installCrds(KubernetesClient client) {
    List<String> missing = ElementalCrds.all().stream()
        .map(crd -> crd.getMetadata().getName())
        .filter(name -> client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null)
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("elemental.sut=external, but the cluster does not serve " + missing
          + ". Fix: install the implementation under test (e.g. helm install elemental-operator ...)"
          + " or run with -Delemental.sut=reference");
    }
  }

  @Override
  public void start(KubernetesCluster cluster, KubernetesClient client) {
    // Runs on its own; nothing to start.
  }

  @Override
  public void close() {
    // Not ours to stop.
  }

}
