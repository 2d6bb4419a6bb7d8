package io.elemental.conformance.harness.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Kubeconfig files and fabric8 client configurations for the clusters the harness uses. */
final class Kubeconfigs {
  private Kubeconfigs() {}

  /**
   * A kubeconfig with one cluster, one client-certificate user and one context, all named
   * "harness". It points at the PEM files rather than inlining them, so a reader can see which
   * identity a process uses.
   */
  static Path write(Path file, String server, Path caCert, Path clientCert, Path clientKey) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: harness
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: harness
          user:
            client-certificate: %s
            client-key: %s
        contexts:
        - name: harness
          context:
            cluster: harness
            user: harness
        current-context: harness
        """.formatted(server, caCert.toAbsolutePath(), clientCert.toAbsolutePath(), clientKey.toAbsolutePath());
    try {
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write kubeconfig " + file, e);
    }
  }

  /**
   * A client configuration with the certificates inline. Built from {@link Config#empty()} so
   * that nothing of the user's own ~/.kube/config or KUBERNETES_* variables leaks in.
   */
  static Config clientCertificateConfig(String server, Path caCert, Path clientCert, Path clientKey) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server)
        .withCaCertData(base64(caCert))
        .withClientCertData(base64(clientCert))
        .withClientKeyData(base64(clientKey))
        .withClientKeyAlgo("EC")
        .withNamespace("default")
        .build();
  }

  /** Reads a kubeconfig file the way kubectl would (its current context). */
  static Config load(Path file) {
    try {
      return Config.fromKubeconfig(null, file.toFile());
    } catch (RuntimeException e) {
      throw new IllegalStateException("kubeconfig " + file + " is not usable: " + e.getMessage()
          + ". Fix: check it with kubectl --kubeconfig " + file + " config view", e);
    }
  }

  private static String base64(Path pemFile) {
    return Base64.getEncoder().encodeToString(ClusterPki.read(pemFile).getBytes(StandardCharsets.UTF_8));
  }
}
