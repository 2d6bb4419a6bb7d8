package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.process.HostTool;
import io.elemental.conformance.fixtures.process.LoopbackPorts;
import io.elemental.conformance.fixtures.process.ManagedProcess;
import io.elemental.conformance.fixtures.process.ShortCommand;
import io.elemental.conformance.harness.support.Waits;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's one node: Debian's containerd and runc under a kubelet, as child processes.
 * Pods use host networking (no CNI but a loopback-only one, so the runtime reports its network
 * ready) and images come from the local Docker engine, imported into this containerd: nothing is
 * pulled. The kubelet listens on loopback only; pod logs are files in the node's folder.
 * containerd's image store is kept in the harness cache, so a warm run imports nothing; one run at
 * a time holds it (a file lock), another gets a store of its own for that run.
 *
 * <p>Pod containers run under containerd's shims, which outlive containerd itself, so closing
 * the node kills every task of its containerd before stopping it, and unmounts what the
 * kubelet mounted (service-account tokens, the pods' volumes).
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  static final HostTool CONTAINERD = HostTool.debian("containerd", "containerd");
  static final HostTool CTR = HostTool.debian("ctr", "containerd");
  static final HostTool RUNC = HostTool.debian("runc", "runc");
  static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "k8s.io";

  private final Path dir;
  /** containerd's socket and state, the kubelet's root: a short path, as a unix socket's may not exceed 107 bytes. */
  private final Path runtimeDir;
  private final String name = ClusterPki.NODE_NAME;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private Path containerdRoot;
  private java.nio.channels.FileChannel storeLock;
  private String pauseImage;
  private boolean closed;

  private LocalNode(Path dir, Path runtimeDir) {
    this.dir = dir;
    this.runtimeDir = runtimeDir;
  }

  /** Starts containerd and the kubelet; {@link #awaitReady} waits for the Node. */
  static LocalNode start(Path dir, Path sharedStore, ClusterBinaries.NodeBinaries binaries, ClusterPki pki,
      String apiServer) {
    Path containerd = CONTAINERD.require();
    CTR.require();
    RUNC.require();
    if (!Files.isExecutable(CNI_PLUGINS.resolve("loopback"))) {
      throw new io.elemental.conformance.fixtures.process.MissingHostToolException("the local node needs the CNI"
          + " loopback plugin in " + CNI_PLUGINS + ". Fix: apt-get install containernetworking-plugins"
          + " (scripts/setup.sh does)");
    }
    HostLeftovers.killOrphanedShims();
    LocalNode node;
    try {
      Files.createDirectories(dir);
      node = new LocalNode(dir, Files.createTempDirectory(Path.of("/tmp"), "ehn-"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the node's folders in " + dir, e);
    }
    try {
      node.pauseImage = "elemental-harness/pause:" + sha12(binaries.pause());
      try {
        node.containerdRoot = node.lockStore(sharedStore);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot use containerd's image store in " + sharedStore, e);
      }
      node.startContainerd(containerd);
      NodeImages images = new NodeImages(node);
      if (!images.has(node.pauseImage)) images.importPause(binaries.pause(), node.pauseImage);
      node.startKubelet(binaries.kubelet(), pki, apiServer);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startContainerd(Path containerd) {
    Path config = write(dir.resolve("containerd.toml"), """
        version = 2
        root = "%s"
        state = "%s"
        [grpc]
          address = "%s"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%s"
          # The harness runs without CAP_SYS_RESOURCE: the sandbox's -998 is refused ("failed to update
          # /proc/self/oom_score_adj: Permission denied"), so keep scores at or above containerd's own.
          restrict_oom_score_adj = true
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "%s"
            conf_dir = "%s"
        """.formatted(containerdRoot, runtimeDir.resolve("state"), socket(), pauseImage,
        CNI_PLUGINS, dir.resolve("cni")));
    write(dir.resolve("cni").resolve("10-host.conflist"),
        "{\"cniVersion\": \"1.0.0\", \"name\": \"elemental-harness-host\", \"plugins\": [{\"type\": \"loopback\"}]}\n");
    processes.add(ManagedProcess.start("containerd", List.of(containerd.toString(), "--config", config.toString()),
        dir.resolve("containerd.log"), Map.of()));
    new Waits(1).until("containerd's socket " + socket(), Duration.ofSeconds(30), () -> {
      requireAllAlive();
      return Files.exists(socket());
    });
  }

  private void startKubelet(Path kubelet, ClusterPki pki, String apiServer) {
    Path kubeconfig = Kubeconfigs.write(dir.resolve("kubelet.kubeconfig"), apiServer, pki.caCert, pki.kubeletCert,
        pki.kubeletKey);
    Path config = write(dir.resolve("kubelet.yaml"), """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        address: 127.0.0.1
        port: %d
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: %d
        authentication: {anonymous: {enabled: false}, webhook: {enabled: false}, x509: {clientCAFile: "%s"}}
        authorization: {mode: AlwaysAllow}
        # No systemd and cgroup v1 on these machines: plain cgroupfs, no QoS hierarchy to enforce.
        cgroupDriver: cgroupfs
        cgroupsPerQOS: false
        enforceNodeAllocatable: []
        failCgroupV1: false
        failSwapOn: false
        containerRuntimeEndpoint: "unix://%s"
        podLogsDir: "%s"
        # A shared disk, often fuller than a kubelet likes: never evict the operator for it.
        evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%"}
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        registerNode: true
        """.formatted(LoopbackPorts.free(), LoopbackPorts.free(), pki.caCert, socket(), podLogs()));
    processes.add(ManagedProcess.start("kubelet", List.of(kubelet.toString(),
        "--config=" + config, "--kubeconfig=" + kubeconfig, "--root-dir=" + kubeletRoot(),
        "--hostname-override=" + name), dir.resolve("kubelet.log"), Map.of()));
  }

  /** The shared image store when no other run holds it, else one of this run's own. */
  private Path lockStore(Path shared) throws IOException {
    Files.createDirectories(shared);
    java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(shared.resolve(".lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    if (channel.tryLock() != null) {
      storeLock = channel;
      return shared.resolve("root");
    }
    channel.close();
    LOG.info("node {}: another run holds containerd's store in {}; this run imports its images into its own", name,
        shared);
    return dir.resolve("containerd-root");
  }

  /** Waits until the Node is Ready (the node-lifecycle controller then lifts its not-ready taint). */
  void awaitReady(KubernetesClient client, Waits waits) {
    String what = "node " + name + " to be Ready and schedulable";
    try {
      waits.until(what, READY_TIMEOUT, () -> {
        requireAllAlive();
        return status(client.nodes().withName(name).get());
      }, READY::equals);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String kubelet = processes.stream().filter(p -> p.name().equals("kubelet")).findFirst()
          .map(p -> p.tail(15)).orElse("");
      throw new IllegalStateException("the local node " + name + " never became Ready (" + status(client.nodes()
          .withName(name).get()) + "). Last lines of the kubelet's log " + dir.resolve("kubelet.log") + ":\n" + kubelet
          + "\nFix: a kubelet that refuses the runtime says why above; check containerd (" + dir.resolve("containerd.log")
          + ") and that runc and containernetworking-plugins are installed (scripts/setup.sh)", e);
    }
  }

  private static final String READY = "Ready, schedulable";

  /** One short line for progress and errors: the Ready condition's reason and the taints. */
  private static String status(Node node) {
    if (node == null) return "not registered";
    String ready = node.getStatus() == null || node.getStatus().getConditions() == null ? "no conditions"
        : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .map(c -> "True".equals(c.getStatus()) ? "Ready" : "not Ready: " + c.getReason() + " " + c.getMessage())
            .findFirst().orElse("no Ready condition");
    List<String> noSchedule = node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints().stream()
        .filter(t -> "NoSchedule".equals(t.getEffect())).map(t -> t.getKey()).toList();
    return ready + (noSchedule.isEmpty() ? ", schedulable" : ", tainted " + noSchedule);
  }

  public String name() {
    return name;
  }

  /** Where the kubelet writes pod logs: {@code <namespace>_<pod>_<uid>/<container>/<restart>.log}. */
  public Path podLogs() {
    return dir.resolve("pod-logs");
  }

  /** The newest log file of {@code container} in pods of {@code namespace} whose name starts with {@code podPrefix}. */
  public Optional<Path> containerLog(String namespace, String podPrefix, String container) {
    if (!Files.isDirectory(podLogs())) return Optional.empty();
    try (Stream<Path> files = Files.walk(podLogs(), 3)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log"))
          .filter(f -> f.getParent().getFileName().toString().equals(container))
          .filter(f -> f.getParent().getParent().getFileName().toString().startsWith(namespace + "_" + podPrefix))
          .max(Comparator.comparing(LocalNode::modified));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Makes a Docker image usable by this node's pods (with {@code imagePullPolicy: Never}). */
  public void importFromDocker(io.elemental.conformance.fixtures.image.DockerEngine docker, String reference) {
    new NodeImages(this).importFromDocker(docker, reference);
  }

  Path socket() {
    return runtimeDir.resolve("containerd.sock");
  }

  /** Short too: the kubelet makes unix sockets under its root (pod-resources, plugins). */
  private Path kubeletRoot() {
    return runtimeDir.resolve("kubelet");
  }

  void requireAllAlive() {
    for (ManagedProcess process : processes) {
      try {
        process.requireAlive();
      } catch (IllegalStateException e) {
        throw new Waits.Abort(e.getMessage());
      }
    }
  }

  /** {@code ctr} on this node's containerd, in the kubelet's namespace. */
  List<String> ctr(String... args) {
    List<String> command = new ArrayList<>(List.of(CTR.require().toString(), "--address", socket().toString(),
        "--namespace", NAMESPACE));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The kubelet first (so it restarts nothing), then every container task (the shims outlive
   * containerd), then containerd, then the kubelet's mounts. Logs stay.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    processes.stream().filter(p -> p.name().equals("kubelet")).forEach(ManagedProcess::close);
    if (processes.stream().anyMatch(p -> p.name().equals("containerd") && p.isAlive())) killAllTasks();
    processes.forEach(ManagedProcess::close);
    // Shutdown hooks run at once: the process reaper may have stopped containerd before the tasks were killed.
    HostLeftovers.killShims(socket().toString());
    HostLeftovers.unmountUnder(dir);
    HostLeftovers.unmountUnder(runtimeDir);
    LocalCluster.deleteRecursively(runtimeDir);
    LocalCluster.deleteRecursively(kubeletRoot());
    LocalCluster.deleteRecursively(dir.resolve("containerd-root"));
    if (storeLock != null) {
      try {
        storeLock.close(); // releases the lock
      } catch (IOException e) {
        LOG.warn("could not release the lock of containerd's store: {}", e.getMessage());
      }
    }
  }

  private void killAllTasks() {
    List<String> tasks = tasks().keySet().stream().toList();
    for (String task : tasks) {
      quietly(ctr("tasks", "kill", "--signal", "SIGKILL", task));
    }
    for (String task : tasks) {
      quietly(ctr("tasks", "delete", "--force", task)); // "not found" when containerd already reaped it
    }
    Map<String, Long> left = tasks();
    if (!left.isEmpty()) LOG.warn("node {}: container tasks still there after SIGKILL: {}", name, left);
    else if (!tasks.isEmpty()) LOG.info("node {}: killed {} container tasks", name, tasks.size());
  }

  /** The container tasks of this node's containerd: id to host pid. */
  Map<String, Long> tasks() {
    try {
      Map<String, Long> tasks = new java.util.LinkedHashMap<>();
      ShortCommand.run("ctr tasks ls", ctr("tasks", "ls"), Duration.ofSeconds(20)).lines().skip(1)
          .map(line -> line.trim().split("\\s+")).filter(cols -> cols.length >= 2)
          .forEach(cols -> tasks.put(cols[0], Long.parseLong(cols[1])));
      return tasks;
    } catch (RuntimeException e) {
      LOG.warn("node {}: could not list container tasks: {}", name, e.getMessage());
      return Map.of();
    }
  }

  private static void quietly(List<String> command) {
    try {
      ShortCommand.run(String.join(" ", command.subList(command.size() - 3, command.size())), command,
          Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      LOG.debug("{}", e.getMessage());
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private static String sha12(Path file) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file))).substring(0, 12);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
