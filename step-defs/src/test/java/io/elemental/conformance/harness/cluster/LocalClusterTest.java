package io.elemental.conformance.harness.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.fixtures.process.ManagedProcess;
import io.elemental.conformance.fixtures.process.MissingHostToolException;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.harness.support.Waits;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `local` backend against the real programs (not skipped when they are missing: CI installs
 * them with scripts/setup-cluster-binaries.sh, and the failure says so).
 */
class LocalClusterTest {
  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(20);

  private static HarnessSettings settings(Path workDir) {
    HarnessSettings defaults = HarnessSettings.fromSystemProperties();
    return new HarnessSettings("local", defaults.sut(), defaults.timeoutScale(), Optional.empty(),
        defaults.k3sImage(), defaults.cacheDir(), workDir, defaults.reportsDir());
  }

  @Test
  void controllersIssueServiceAccountTokensAndCloseStopsEveryProcess() {
    HarnessSettings settings = settings(Path.of("target", "cluster-tests").toAbsolutePath());
    List<ManagedProcess> processes;
    try (LocalCluster cluster = LocalCluster.startApiServer(settings)) {
      cluster.startControllers();
      processes = cluster.processes();
      assertThat(processes).extracting(ManagedProcess::name)
          .containsExactly("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
      assertThat(cluster.kubeconfig()).isRegularFile();
      assertThat(cluster.node()).as("the local cluster's node").isPresent();
      assertThat(cluster.describe()).contains("Kubernetes v1.", "node " + ClusterPki.NODE_NAME);

      try (KubernetesClient admin = cluster.newClient()) {
        String namespace = "token-test";
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
            .build()).create();
        Waits waits = new Waits(settings.timeoutScale());
        waits.until("the default ServiceAccount of " + namespace, TOKEN_TIMEOUT,
            () -> admin.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder()
            .withNewMetadata().withName("default-token-test")
            .addToAnnotations("kubernetes.io/service-account.name", "default").endMetadata()
            .withType("kubernetes.io/service-account-token").build()).create();

        Secret filled = waits.until("the token controller to fill default-token-test", TOKEN_TIMEOUT,
            () -> admin.secrets().inNamespace(namespace).withName("default-token-test").get(),
            secret -> secret != null && secret.getData() != null && secret.getData().containsKey("token"));
        assertThat(filled.getData()).containsKeys("ca.crt", "namespace");
        String token = new String(Base64.getDecoder().decode(filled.getData().get("token")), StandardCharsets.UTF_8);

        // Authenticated as the service account (a 403 naming it, not a 401), and RBAC denies what it was not granted.
        try (KubernetesClient robot = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.adminConfig())
            .withClientCertData(null).withClientKeyData(null).withOauthToken(token).build()).build()) {
          assertThatThrownBy(() -> robot.pods().inNamespace(namespace).list())
              .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
              .hasMessageContaining("system:serviceaccount:" + namespace + ":default");
        }
      }
    }

    for (ManagedProcess process : processes) {
      assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("%s (pid %d) still running after close()", process.name(), process.pid())
          .isFalse();
    }
  }

  /** A pod runs on the node from an image imported into its containerd, and close() leaves no container behind. */
  @Test
  void theNodeRunsAHostNetworkPodAndCloseKillsIt() throws Exception {
    HarnessSettings settings = settings(Path.of("target", "cluster-tests").toAbsolutePath());
    long podPid;
    try (LocalCluster cluster = LocalCluster.startApiServer(settings)) {
      cluster.startControllers();
      try (KubernetesClient admin = cluster.newClient()) {
        // The sandbox image is the only image this node has without Docker: run it as the pod's container too.
        String image = admin.nodes().withName(ClusterPki.NODE_NAME).get().getStatus().getImages().stream()
            .flatMap(i -> i.getNames() == null ? java.util.stream.Stream.<String>empty() : i.getNames().stream()).filter(n -> n.contains("elemental-harness/pause:")).findFirst()
            .orElseThrow(() -> new AssertionError("the node lists no pause image"));
        admin.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata().withName("sleeper").endMetadata()
            .withNewSpec().withHostNetwork(true).addNewContainer().withName("sleeper").withImage(image)
            .withImagePullPolicy("Never").endContainer().endSpec().build()).create();
        new Waits(settings.timeoutScale()).until("pod sleeper to run", Duration.ofSeconds(60),
            () -> admin.pods().inNamespace("default").withName("sleeper").get(),
            pod -> pod != null && "Running".equals(pod.getStatus().getPhase()));
      }
      // Two tasks: the pod's sandbox and its container.
      assertThat(cluster.node().orElseThrow().tasks()).hasSize(2);
      podPid = cluster.node().orElseThrow().tasks().values().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(ProcessHandle.of(podPid)).isPresent();
    }
    assertThat(ProcessHandle.of(podPid).map(ProcessHandle::isAlive).orElse(false))
        .as("the pod's process (pid %d) after close()", podPid).isFalse();
  }

  @Test
  void missingProgramsAreNamedWithTheFix(@TempDir Path emptyAssets, @TempDir Path workDir) {
    assertThatThrownBy(() -> LocalCluster.startApiServer(settings(workDir),
        ClusterBinaries.in(emptyAssets, "KUBEBUILDER_ASSETS")))
        .isInstanceOf(MissingHostToolException.class)
        .hasMessageContaining("kube-apiserver, kube-controller-manager")
        .hasMessageContaining(emptyAssets.toString())
        .hasMessageContaining("run scripts/setup-cluster-binaries.sh (as root) or set KUBEBUILDER_ASSETS");
    assertThat(workDir).isEmptyDirectory();
  }
}
