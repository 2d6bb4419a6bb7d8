package io.elemental.conformance.fakerancher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The plan fake Rancher puts in a Machine's machine-plan Secret, for Rancher's system agent on the machine:
 * where Rancher's planner would install RKE2 or K3s, this one writes the K3s configuration Rancher would
 * ({@code /etc/rancher/k3s/config.yaml.d/50-rancher.yaml}: the node's labels) and marks the install done in
 * {@code /var/lib/rancher/k3s/fake-rancher-install}. It installs no Kubernetes: the @sim tier's stand-in.
 */
public final class MachinePlan {
  public static final String CONFIG = "/etc/rancher/k3s/config.yaml.d/50-rancher.yaml";
  public static final String INSTALL_MARKER = "/var/lib/rancher/k3s/fake-rancher-install";
  public static final String INSTRUCTION = "install k3s";

  private MachinePlan() {}

  static byte[] bytes(GenericKubernetesResource cluster, String machine) {
    String config = "node-label:\n- rke.cattle.io/machine=" + machine + "\n- cluster=" + cluster.getMetadata().getName()
        + "\n";
    String install = "mkdir -p /var/lib/rancher/k3s && echo 'k3s for Machine " + machine + " of cluster "
        + cluster.getMetadata().getName() + "' > " + INSTALL_MARKER + " && cat " + INSTALL_MARKER;
    String json = "{\"files\":[{\"path\":\"" + CONFIG + "\",\"content\":\""
        + Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))
        + "\",\"permissions\":\"0600\"}],\"instructions\":[{\"name\":\"" + INSTRUCTION
        + "\",\"command\":\"sh\",\"args\":[\"-c\"," + BootstrapScript.jsonString(install)
        + "],\"saveOutput\":true}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
