package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.process.HostTool;
import io.elemental.conformance.fixtures.process.MissingHostToolException;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.harness.support.SetupScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The programs of the `local` backend, all from one folder: {@code KUBEBUILDER_ASSETS} when set
 * (the envtest convention), else the cache that scripts/setup-cluster-binaries.sh fills (one
 * folder per build recipe; the script itself names the current one, so the recipe lives there
 * alone). etcd may also come from PATH, as Debian's etcd-server puts it there. The node's
 * programs (kube-scheduler, kubelet, pause) are optional: without them the cluster has no node.
 */
record ClusterBinaries(Path etcd, Path apiServer, Path controllerManager, Optional<NodeBinaries> node) {
  static final String SCRIPT = "scripts/setup-cluster-binaries.sh";
  static final String FIX = "run " + SCRIPT + " (as root) or set KUBEBUILDER_ASSETS to a folder"
      + " holding etcd, kube-apiserver and kube-controller-manager (and kube-scheduler, kubelet and pause for a node;"
      + " envtest's downloads lack kube-controller-manager: add one)";

  /** What a node of the local cluster runs: the scheduler that places pods, the kubelet, the sandbox process. */
  record NodeBinaries(Path scheduler, Path kubelet, Path pause) {}

  /** The folder the settings and the environment point at. */
  static ClusterBinaries locate(HarnessSettings settings) {
    Optional<Path> assets = Optional.ofNullable(System.getenv("KUBEBUILDER_ASSETS"))
        .filter(s -> !s.isBlank()).map(Path::of);
    if (assets.isPresent()) return in(assets.get(), "KUBEBUILDER_ASSETS");
    return in(cachedBinDir(settings), "the harness cache");
  }

  /** The bin folder of the current recipe, as the set-up script names it; fails saying how to fill it. */
  private static Path cachedBinDir(HarnessSettings settings) {
    return SetupScripts.cachedBinDir(SCRIPT, settings.cacheDir(), FIX
        + ". Or pick another backend: -Delemental.cluster=k3s|kubeconfig");
  }

  /** Fails with one message naming every missing program, the folder and the fix. */
  static ClusterBinaries in(Path dir, String source) {
    List<String> missing = new ArrayList<>();
    Path etcd = find(dir, "etcd", missing, HostTool.debian("etcd", "etcd-server").find());
    Path apiServer = find(dir, "kube-apiserver", missing, Optional.empty());
    Path controllerManager = find(dir, "kube-controller-manager", missing, Optional.empty());
    if (!missing.isEmpty()) {
      throw new MissingHostToolException("the local cluster backend needs " + String.join(", ", missing)
          + ", not found in " + dir + " (" + source + ")" + (missing.contains("etcd") ? " nor on PATH" : "")
          + ". Fix: " + FIX + ". Or pick another backend: -Delemental.cluster=k3s|kubeconfig");
    }
    Path scheduler = dir.resolve("kube-scheduler");
    Path kubelet = dir.resolve("kubelet");
    Path pause = dir.resolve("pause");
    Optional<NodeBinaries> node = Files.isExecutable(scheduler) && Files.isExecutable(kubelet) && Files.isExecutable(pause)
        ? Optional.of(new NodeBinaries(scheduler, kubelet, pause)) : Optional.empty();
    return new ClusterBinaries(etcd, apiServer, controllerManager, node);
  }

  /** The node's programs, or why there is no node and how to get one. */
  NodeBinaries requireNode() {
    return node.orElseThrow(() -> new MissingHostToolException("the local cluster's node needs kube-scheduler,"
        + " kubelet and pause beside kube-apiserver in " + apiServer.getParent() + ". Fix: " + FIX));
  }

  private static Path find(Path dir, String name, List<String> missing, Optional<Path> fallback) {
    Path candidate = dir.resolve(name);
    if (Files.isExecutable(candidate)) return candidate;
    if (fallback.isPresent()) return fallback.get();
    missing.add(name);
    return null;
  }
}
