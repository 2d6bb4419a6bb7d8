package io.elemental.conformance.harness.sut;

import io.elemental.conformance.fakerancher.Backend;
import io.elemental.conformance.fakerancher.RancherIngress;
import io.elemental.conformance.fixtures.image.DockerEngine;
import io.elemental.conformance.fixtures.image.OperatorImageBuild;
import io.elemental.conformance.fixtures.process.LoopbackPorts;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.harness.cluster.KubernetesCluster;
import io.elemental.conformance.harness.cluster.LocalNode;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.operator.ElementalOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference operator hosted as users host the real one ({@code -Delemental.sut=reference}): its
 * OCI image built from {@code reference-impl/operator/Dockerfile} and loaded into the cluster's
 * node, its Helm chart ({@code reference-impl/operator/chart/elemental-operator}) installed into
 * {@code cattle-elemental-system}, the pod on host networking. Machines reach it as through
 * Rancher: fake Rancher's ingress terminates TLS with the run's CA on server-url, forwards
 * {@code /elemental/} to the pod and serves Rancher's {@code /k8s/clusters/local} proxy itself.
 */
public final class HostedReferenceOperatorSut implements ElementalSut {
  private static final Logger LOG = LoggerFactory.getLogger(HostedReferenceOperatorSut.class);
  static final String NAMESPACE = "cattle-elemental-system";
  static final String RELEASE = "elemental-operator";
  static final String CHART = "reference-impl/operator/chart/elemental-operator";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

  private final HarnessSettings settings;
  private RancherIngress ingress;
  private LocalNode node;
  private String where = "(not started)";

  public HostedReferenceOperatorSut(HarnessSettings settings) {
    this.settings = settings;
  }

  @Override
  public String describe() {
    return "reference: the Java reference operator " + where;
  }

  /** The CRDs of the chart's crds/ folder, before the controller-manager starts (helm then leaves them be). */
  @Override
  public void installCrds(KubernetesClient client) {
    Path crds = Helm.repositoryFile(CHART).resolve("crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata crd : client.load(in).items()) client.resource(crd).forceConflicts().serverSideApply();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chart's CRDs in " + crds + ": " + e.getMessage(), e);
    }
    ElementalOperator.installCrds(client); // waits until each is served; the same definitions
  }

  @Override
  public void start(KubernetesCluster cluster, KubernetesClient client) {
    node = cluster.node().orElseThrow(() -> new IllegalStateException("elemental.sut=reference hosts the operator"
        + " as a pod on the cluster's node, and " + cluster.describe() + " has none the harness can load images into."
        + " Fix: -Delemental.cluster=local (with scripts/setup-cluster-binaries.sh run), or -Delemental.sut=reference-jvm"));
    long begin = System.nanoTime();
    String image;
    try (DockerEngine docker = DockerEngine.connect(settings.workDir().resolve("docker"))) {
      image = new OperatorImageBuild(docker, Helm.repositoryFile("reference-impl/operator"),
          OperatorImageBuild.referenceOsImageDir(), operatorJar(), settings.workDir()).build();
      node.importFromDocker(docker, image);
    }
    long built = System.nanoTime();
    int port = LoopbackPorts.free();
    URI apiServer = URI.create(client.getConfiguration().getMasterUrl());
    Helm helm = Helm.forCluster(cluster.kubeconfig(), settings.cacheDir());
    try {
      install(helm, image, port, apiServer);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\nThe operator's pod: " + podStatus(client)
          + log().map(l -> "\nLast lines of its log " + l + ":\n" + tail(l, 20)).orElse(""), e);
    }
    Pod pod = client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", RELEASE).list().getItems()
        .stream().findFirst().orElseThrow(() -> new IllegalStateException("helm installed " + RELEASE
            + " but no pod of it is in " + NAMESPACE));
    ingress = RancherIngress.builder()
        .names(List.of("127.0.0.1", "localhost", GuestNetwork.HOST_FOR_GUESTS))
        .elemental(Backend.httpsOnLoopback(URI.create("https://127.0.0.1:" + port)))
        .localHandlers(ClusterProxies.forCluster(client))
        .start();
    where = "hosted: pod " + NAMESPACE + "/" + pod.getMetadata().getName() + " on node " + pod.getSpec().getNodeName()
        + ", image " + image + ", chart installed by " + helm.version() + "; machines reach it through fake Rancher's"
        + " ingress at " + ingress.serverUrl();
    LOG.info("reference operator hosted in {} ms (image {} ms, helm install {} ms): {}",
        (System.nanoTime() - begin) / 1_000_000, (built - begin) / 1_000_000, (System.nanoTime() - built) / 1_000_000,
        where);
  }

  private void install(Helm helm, String image, int port, URI apiServer) {
    helm.install(RELEASE, Helm.repositoryFile(CHART), NAMESPACE, List.of(
        "image.repository=" + image.substring(0, image.lastIndexOf(':')),
        "registrationPort=" + port,
        "logLevel=info",
        "seedImageCache.hostPath=" + settings.cacheDir().resolve("seed")), List.of(
        "image.tag=" + image.substring(image.lastIndexOf(':') + 1), // hex digits only would read as a number
        // The operator checks and pulls the OS images VMs name by the guests' address of the host.
        "env[0].name=ELEMENTAL_REGISTRY_HOSTS",
        "env[0].value=" + GuestNetwork.HOST_FOR_GUESTS + "=127.0.0.1",
        // No kube-proxy here, so the kubernetes Service's address leads nowhere (on these machines, to a proxy
        // of the sandbox): the in-cluster client is pointed at the API server's own address, as on host networking.
        "env[1].name=KUBERNETES_SERVICE_HOST", "env[1].value=" + apiServer.getHost(),
        "env[2].name=KUBERNETES_SERVICE_PORT", "env[2].value=" + apiServer.getPort()), INSTALL_TIMEOUT);
  }

  /** Phase and each container's state, e.g. "Running; operator: waiting CrashLoopBackOff (last exit 1)". */
  private static String podStatus(KubernetesClient client) {
    return client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", RELEASE).list().getItems().stream()
        .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase() + Optional.ofNullable(
            p.getStatus().getContainerStatuses()).orElse(List.of()).stream().map(c -> "; " + c.getName() + ": "
            + (c.getState().getWaiting() != null ? "waiting " + c.getState().getWaiting().getReason()
                : c.getState().getTerminated() != null ? "terminated " + c.getState().getTerminated().getReason()
                : "running")
            + (c.getLastState() != null && c.getLastState().getTerminated() != null
                ? " (last exit " + c.getLastState().getTerminated().getExitCode() + ")" : ""))
            .reduce("", String::concat))
        .findFirst().orElse("none was created (check the Deployment's events)");
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static Path operatorJar() {
    String configured = System.getProperty("elemental.operator.jar", "");
    return configured.isBlank() ? Helm.repositoryFile("reference-impl/operator/target/elemental-operator.jar")
        : Path.of(configured);
  }

  @Override
  public Optional<RancherEndpoint> rancherEndpoint() {
    return Optional.ofNullable(ingress).map(i -> new RancherEndpoint(i.serverUrl(), i.caPem()));
  }

  @Override
  public Optional<Path> log() {
    return node == null ? Optional.empty() : node.containerLog(NAMESPACE, RELEASE, "operator");
  }

  @Override
  public void close() {
    if (ingress != null) ingress.close();
    ingress = null;
    // The pod goes with the node when the cluster closes.
  }
}
