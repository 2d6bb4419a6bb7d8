package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.harness.config.HarnessSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the backend named by {@code -Delemental.cluster=auto|k3s|local|kubeconfig}. For
 * {@code local} only etcd and the API server run on return: the caller installs the CRDs, then
 * calls {@link KubernetesCluster#startControllers()}.
 */
public final class ClusterBackends {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBackends.class);
  static final String VALID = "auto (k3s where Docker has its image, else local), k3s, local, kubeconfig";

  private ClusterBackends() {}

  public static KubernetesCluster start(HarnessSettings settings) {
    return switch (settings.cluster()) {
      case "local" -> LocalCluster.startApiServer(settings);
      case "k3s" -> K3sCluster.start(settings);
      case "kubeconfig" -> KubeconfigCluster.connect(settings);
      case "auto" -> auto(settings);
      default -> throw new IllegalArgumentException("unknown elemental.cluster '" + settings.cluster()
          + "'. Valid: " + VALID + ". Fix: -Delemental.cluster=local (for example)");
    };
  }

  private static KubernetesCluster auto(HarnessSettings settings) {
    Optional<String> noK3s = K3sCluster.unavailableReason(settings);
    if (noK3s.isEmpty()) {
      LOG.info("elemental.cluster=auto: using k3s, as Docker runs and has {}", settings.k3sImage());
      return K3sCluster.start(settings);
    }
    LOG.info("elemental.cluster=auto: using local processes (etcd, the control plane, a kubelet node),"
        + " as k3s cannot run: {}", noK3s.get());
    return LocalCluster.startApiServer(settings);
  }
}
