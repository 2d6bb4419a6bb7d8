package io.elemental.conformance.harness.sut;

import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.operator.ElementalOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

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
    // Any free port; VMs reach it through their forward to the host, at GuestNetwork.HOST_FOR_GUESTS.
    operator = ElementalOperator.start(client, 0, List.of(GuestNetwork.HOST_FOR_GUESTS));
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
