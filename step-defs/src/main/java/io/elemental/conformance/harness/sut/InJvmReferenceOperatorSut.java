package io.elemental.conformance.harness.sut;

import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.operator.ElementalOperator;
import io.elemental.conformance.harness.cluster.KubernetesCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * The reference operator of this repository run inside the test JVM ({@code -Delemental.sut=reference-jvm}): no
 * image, chart or pod, and the registration endpoint serves Rancher's cluster proxy on its own port.
 */
public final class InJvmReferenceOperatorSut implements ElementalSut {
  private ElementalOperator operator;

  @Override
  public String describe() {
    return "reference-jvm: the Java reference operator, in the test JVM";
  }

  @Override
  public void installCrds(KubernetesClient client) {
    ElementalOperator.installCrds(client);
  }

  @Override
  public void start(KubernetesCluster cluster, KubernetesClient client) {
    // Any free port; VMs reach it through their forward to the host, at GuestNetwork.HOST_FOR_GUESTS.
    // server-url names this one port, so Rancher's proxy to the local cluster is served on it too.
    operator = ElementalOperator.start(client, 0, List.of(GuestNetwork.HOST_FOR_GUESTS),
        List.of(ClusterProxies.forCluster(client)));
  }

  @Override
  public Optional<RancherEndpoint> rancherEndpoint() {
    return Optional.ofNullable(operator)
        .map(o -> new RancherEndpoint(o.registrationBaseUrl(), o.registrationCaPem()));
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
