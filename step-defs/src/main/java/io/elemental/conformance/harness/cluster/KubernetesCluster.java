package io.elemental.conformance.harness.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/**
 * A real Kubernetes API server the specs run against, whichever backend started it.
 * Closing it stops what the backend started (nothing, for an existing cluster).
 */
public interface KubernetesCluster extends AutoCloseable {

  /** One line for logs and reports, e.g. "local: Kubernetes v1.34.4 at https://127.0.0.1:40123, node elemental-node-1 ...". */
  String describe();

  /** A kubeconfig file for this cluster, usable by kubectl while the run lasts. */
  Path kubeconfig();

  /** Client configuration with cluster-admin rights. */
  Config adminConfig();

  default KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /**
   * Starts the cluster's controllers (garbage collector, service-account tokens...). Called
   * after the CRDs are installed: kube-controller-manager's garbage collector learns new kinds
   * only every 30 s. Backends whose controllers already run do nothing.
   */
  default void startControllers() {}

  /** The node whose container runtime the harness can load images into (the local backend's); else empty. */
  default java.util.Optional<LocalNode> node() {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
