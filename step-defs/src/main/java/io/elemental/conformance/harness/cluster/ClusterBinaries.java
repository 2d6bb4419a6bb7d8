package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.process.HostTool;
import io.elemental.conformance.fixtures.process.MissingHostToolException;
import io.elemental.conformance.harness.config.HarnessSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs of the `local` backend, all from one folder: {@code KUBEBUILDER_ASSETS} when set
 * (the envtest convention), else the cache that scripts/setup-cluster-binaries.sh fills. etcd
 * may also come from PATH, as Debian's etcd-server puts it there.
 */
record ClusterBinaries(Path etcd, Path apiServer, Path controllerManager) {
  static final String CACHED_VERSION = "1.20.2";
  static final String FIX = "run scripts/setup-cluster-binaries.sh (as root) or set KUBEBUILDER_ASSETS to a folder"
      + " holding etcd, kube-apiserver and kube-controller-manager (envtest's downloads lack kube-controller-manager:"
      + " add one)";

  /** The folder the settings and the environment point at. */
  static ClusterBinaries locate(HarnessSettings settings) {
    Optional<Path> assets = Optional.ofNullable(System.getenv("KUBEBUILDER_ASSETS"))
        .filter(s -> !s.isBlank()).map(Path::of);
    return assets.isPresent()
        ? in(assets.get(), "KUBEBUILDER_ASSETS")
        : in(settings.cacheDir().resolve("k8s").resolve(CACHED_VERSION).resolve("bin"), "the harness cache");
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
    return new ClusterBinaries(etcd, apiServer, controllerManager);
  }

  private static Path find(Path dir, String name, List<String> missing, Optional<Path> fallback) {
    Path candidate = dir.resolve(name);
    if (Files.isExecutable(candidate)) return candidate;
    if (fallback.isPresent()) return fallback.get();
    missing.add(name);
    return null;
  }

  /**
   * The minor version of a Kubernetes program ({@code --version} prints "Kubernetes v1.20.2"),
   * for the few flags that differ between releases. Unknown: assume a current release.
   */
  static int minorVersion(Path program) {
    try {
      Process process = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
      Matcher m = Pattern.compile("v1\\.(\\d+)").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    } catch (IOException e) {
      return Integer.MAX_VALUE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Integer.MAX_VALUE;
    }
  }
}
