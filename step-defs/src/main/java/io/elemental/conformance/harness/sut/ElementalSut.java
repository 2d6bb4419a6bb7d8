package io.elemental.conformance.harness.sut;

import io.elemental.conformance.harness.cluster.KubernetesCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Elemental implementation under test. The specs only talk to Kubernetes (and, later, to
 * machines), so an adapter's job is to make its implementation run against the cluster.
 * Chosen with {@code -Delemental.sut=reference|reference-jvm|external}.
 */
public interface ElementalSut extends AutoCloseable {

  /** One line for logs and reports. */
  String describe();

  /**
   * Makes the elemental.cattle.io CRDs served. Called before the cluster's controller-manager
   * starts, whose garbage collector only learns new kinds every 30 s.
   */
  void installCrds(KubernetesClient client);

  /** Runs the implementation's controllers against the cluster (after its controllers and node are up). */
  void start(KubernetesCluster cluster, KubernetesClient client);

  /** The implementation's own log, when the harness can read it: attached to every failed scenario. */
  default Optional<Path> log() {
    return Optional.empty();
  }

  /**
   * Rancher's server-url and cacerts for this implementation, when the harness plays Rancher
   * (the reference operator's own endpoint); empty when a real Rancher fronts it.
   */
  default Optional<RancherEndpoint> rancherEndpoint() {
    return Optional.empty();
  }

  /** What Rancher's server-url and cacerts settings must say for machines to reach the implementation. */
  record RancherEndpoint(String serverUrl, String caCertPem) {}

  @Override
  void close();
}
