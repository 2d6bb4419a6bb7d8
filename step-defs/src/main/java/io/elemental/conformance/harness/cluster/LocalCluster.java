package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.process.LoopbackPorts;
import io.elemental.conformance.fixtures.process.ManagedProcess;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.harness.support.Waits;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real cluster as child processes on loopback: etcd, kube-apiserver (TLS, Node and RBAC
 * authorization, service-account tokens), one node ({@link LocalNode}: containerd and a kubelet)
 * and, once the CRDs are in, kube-controller-manager (garbage collector, namespaces, service
 * accounts and their tokens, deployments, the node's lifecycle) and kube-scheduler. State,
 * certificates and logs stay in one folder under the run's work directory.
 */
public final class LocalCluster implements KubernetesCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final Path dir;
  private final ClusterBinaries binaries;
  private final Waits waits;
  private final int apiPort;
  private final Path cacheDir;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private LocalNode node;
  private ClusterPki pki;
  private Path kubeconfig;
  private Config adminConfig;
  private String version = "(not started)";
  private boolean controllersStarted;
  private boolean closed;

  private LocalCluster(Path dir, ClusterBinaries binaries, Waits waits, Path cacheDir) {
    this.dir = dir;
    this.cacheDir = cacheDir;
    this.binaries = binaries;
    this.waits = waits;
    this.apiPort = LoopbackPorts.free();
  }

  /**
   * Starts etcd and kube-apiserver and waits until the API server is ready. The
   * controller-manager comes later, from {@link #startControllers()}, once the CRDs are in.
   */
  public static LocalCluster startApiServer(HarnessSettings settings) {
    return startApiServer(settings, ClusterBinaries.locate(settings));
  }

  static LocalCluster startApiServer(HarnessSettings settings, ClusterBinaries binaries) {
    LocalCluster cluster = new LocalCluster(newStateDir(settings.workDir()), binaries,
        new Waits(settings.timeoutScale()), settings.cacheDir());
    try {
      cluster.startEtcdAndApiServer();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Path newStateDir(Path workDir) {
    try {
      Files.createDirectories(workDir);
      return Files.createTempDirectory(workDir, "cluster-" + LocalDateTime.now().format(STAMP) + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the local cluster's folder in " + workDir, e);
    }
  }

  private void startEtcdAndApiServer() {
    long start = System.nanoTime();
    int etcdPort = LoopbackPorts.free();
    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + LoopbackPorts.free();
    start("etcd", List.of(binaries.etcd().toString(),
        "--name=harness",
        "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=harness=" + peerUrl));

    // Made while etcd starts.
    pki = ClusterPki.create(dir.resolve("pki"));
    kubeconfig = Kubeconfigs.write(dir.resolve("kubeconfig"), server(), pki.caCert, pki.adminCert, pki.adminKey);
    adminConfig = Kubeconfigs.clientCertificateConfig(server(), pki.caCert, pki.adminCert, pki.adminKey);

    await("etcd on 127.0.0.1:" + etcdPort, () -> LoopbackPorts.isListening(etcdPort));

    start("kube-apiserver", List.of(binaries.apiServer().toString(),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
        "--cert-dir=" + dir.resolve("apiserver"), // never /var/run/kubernetes
        "--tls-cert-file=" + pki.serverCert, "--tls-private-key-file=" + pki.serverKey,
        "--client-ca-file=" + pki.caCert,
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
        // Logs and exec through the API reach the kubelet with the admin's certificate.
        "--kubelet-client-certificate=" + pki.adminCert, "--kubelet-client-key=" + pki.adminKey,
        "--service-account-issuer=https://kubernetes.default.svc",
        "--service-account-signing-key-file=" + pki.serviceAccountKey,
        "--service-account-key-file=" + pki.serviceAccountPublicKey,
        "--service-cluster-ip-range=10.0.0.0/24",
        // No kubelet or Service endpoints here: do not maintain the kubernetes Service's endpoints.
        "--endpoint-reconciler-type=none",
        "--allow-privileged=true"));

    try (KubernetesClient probe = probeClient()) {
      String what = "kube-apiserver on 127.0.0.1:" + apiPort + " to be ready";
      LOG.info("waiting for {} ...", what);
      waits.until(what, START_TIMEOUT, () -> {
        requireAllAlive(what);
        return readyz(probe);
      }, "ok"::equals);
      version = probe.getKubernetesVersion().getGitVersion();
    }
    LOG.info("local kube-apiserver {} ready in {} ms at {} (state and logs in {})",
        version, millisSince(start), server(), dir);
    // The node registers while the caller installs CRDs; startControllers() waits for it to be Ready.
    binaries.node().ifPresentOrElse(
        programs -> node = LocalNode.start(dir.resolve("node"), cacheDir.resolve("containerd"), programs, pki, server()),
        () -> LOG.warn("local cluster without a node: {} has no kube-scheduler, kubelet and pause, so no pod can run"
            + " (the hosted operator needs them). Fix: {}", binaries.apiServer().getParent(), ClusterBinaries.FIX));
  }

  /**
   * Starts kube-controller-manager and waits until it works: its service-account controller
   * has made the {@code default} ServiceAccount.
   */
  @Override
  public synchronized void startControllers() {
    if (closed) throw new IllegalStateException("the local cluster in " + dir + " is already closed");
    if (controllersStarted) return;
    controllersStarted = true;
    long start = System.nanoTime();
    Path cmKubeconfig = Kubeconfigs.write(dir.resolve("controller-manager.kubeconfig"), server(), pki.caCert,
        pki.controllerManagerCert, pki.controllerManagerKey);
    List<String> command = new ArrayList<>(List.of(binaries.controllerManager().toString(),
        "--kubeconfig=" + cmKubeconfig,
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + pki.serviceAccountKey,
        "--root-ca-file=" + pki.caCert,
        "--leader-elect=false",
        "--controllers=garbagecollector,namespace,serviceaccount,serviceaccount-token,root-ca-cert-publisher"
            + (node != null ? ",deployment,replicaset,nodelifecycle" : ""),
        "--bind-address=127.0.0.1", "--secure-port=0"));
    start("kube-controller-manager", command);
    try (KubernetesClient probe = probeClient()) {
      String what = "kube-controller-manager to create ServiceAccount default/default";
      waits.until(what, START_TIMEOUT, () -> {
        requireAllAlive(what);
        return probe.serviceAccounts().inNamespace("default").withName("default").get() != null;
      });
    }
    LOG.info("local kube-controller-manager usable in {} ms", millisSince(start));
    if (node != null) startScheduler();
  }

  private void startScheduler() {
    long start = System.nanoTime();
    Path kubeconfig = Kubeconfigs.write(dir.resolve("scheduler.kubeconfig"), server(), pki.caCert, pki.schedulerCert,
        pki.schedulerKey);
    start("kube-scheduler", List.of(binaries.requireNode().scheduler().toString(), "--kubeconfig=" + kubeconfig,
        "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=0"));
    try (KubernetesClient probe = probeClient()) {
      node.awaitReady(probe, waits);
    }
    LOG.info("local node {} Ready, kube-scheduler started, in {} ms", node.name(), millisSince(start));
  }

  /** The cluster's node, when its programs were there. */
  @Override
  public Optional<LocalNode> node() {
    return Optional.ofNullable(node);
  }

  private void start(String name, List<String> command) {
    processes.add(ManagedProcess.start(name, command, dir.resolve(name + ".log"), Map.of()));
  }

  private void await(String what, Callable<Boolean> condition) {
    waits.until(what, START_TIMEOUT, () -> {
      requireAllAlive(what);
      return condition.call();
    });
  }

  /** Waiting on is pointless once one of the processes has died: fail with its log's end. */
  private void requireAllAlive(String what) {
    if (node != null) {
      try {
        node.requireAllAlive();
      } catch (Waits.Abort e) {
        throw new Waits.Abort("while waiting for " + what + ": " + e.getMessage());
      }
    }
    for (ManagedProcess process : processes) {
      try {
        process.requireAlive();
      } catch (IllegalStateException e) {
        throw new Waits.Abort("while waiting for " + what + ": " + e.getMessage());
      }
    }
  }

  /** "ok" when ready, else why not (an HTTP status, a refused connection), for the progress lines. */
  private static String readyz(KubernetesClient probe) {
    try {
      return String.valueOf(probe.raw("/readyz"));
    } catch (KubernetesClientException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) root = root.getCause();
      return e.getCode() > 0 ? "HTTP " + e.getCode() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
  }

  /** An admin client that fails fast (no retries), for polling during start-up. */
  private KubernetesClient probeClient() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(adminConfig)
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(2_000).withRequestTimeout(5_000).build()).build();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private String server() {
    return "https://127.0.0.1:" + apiPort;
  }

  @Override
  public String describe() {
    return "local: Kubernetes " + version + " at " + server() + ", " + (node != null ? "node " + node.name()
        + " (kubelet, containerd)" : "no node") + " (state and logs in " + dir + ")";
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A fresh copy each time: fabric8's Config is mutable. */
  @Override
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  /** The state folder: etcd data, pki/, kubeconfig files and one log per process. */
  public Path stateDir() {
    return dir;
  }

  List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  /**
   * Stops the newest process first, so nothing writes to a store that is already gone. When all
   * stopped, etcd's data (64 MB of preallocated WAL a run) goes; logs and certificates stay for
   * the reports. When one would not stop, everything stays, for a look.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    List<ManagedProcess> newestFirst = new ArrayList<>(processes);
    Collections.reverse(newestFirst);
    // The scheduler and controller-manager first, then the node (its pods go with it), then the API server and etcd.
    for (ManagedProcess process : newestFirst) {
      if (!process.name().equals("kube-scheduler") && !process.name().equals("kube-controller-manager")) continue;
      process.close();
    }
    if (node != null) node.close();
    for (ManagedProcess process : newestFirst) {
      try {
        process.close();
      } catch (RuntimeException e) {
        LOG.warn("could not stop {}: {}", process, e.toString());
      }
    }
    List<ManagedProcess> alive = processes.stream().filter(ManagedProcess::isAlive).toList();
    if (!alive.isEmpty()) {
      LOG.warn("local cluster: {} still running; state kept in {}", alive, dir);
      return;
    }
    deleteRecursively(dir.resolve("etcd"));
    LOG.info("local cluster stopped; logs kept in {}", dir);
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }
}
