package io.elemental.conformance.harness.sut;

import io.elemental.conformance.fakerancher.ClusterProxy;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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
    // server-url names this one port, so Rancher's proxy to the local cluster is served on it too.
    operator = ElementalOperator.start(client, 0, List.of(GuestNetwork.HOST_FOR_GUESTS),
        List.of(new ClusterProxy(URI.create(client.getConfiguration().getMasterUrl()), apiServerCa(client))));
  }

  private static String apiServerCa(KubernetesClient client) {
    var config = client.getConfiguration();
    try {
      if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
        return new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.US_ASCII);
      }
      return Files.readString(Path.of(config.getCaCertFile()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the API server's CA is not in the cluster's client configuration ("
          + e.getMessage() + "): Rancher's cluster proxy cannot trust it", e);
    }
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
