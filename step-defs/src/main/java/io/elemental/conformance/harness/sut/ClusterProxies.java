package io.elemental.conformance.harness.sut;

import io.elemental.conformance.fakerancher.ClusterProxy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Rancher's proxy to the local cluster ({@code /k8s/clusters/local}), for the cluster a client talks to. */
final class ClusterProxies {
  private ClusterProxies() {}

  static ClusterProxy forCluster(KubernetesClient client) {
    return new ClusterProxy(URI.create(client.getConfiguration().getMasterUrl()), apiServerCa(client));
  }

  static String apiServerCa(KubernetesClient client) {
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
}
