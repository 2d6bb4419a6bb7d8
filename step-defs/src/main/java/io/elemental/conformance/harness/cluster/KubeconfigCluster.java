package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.harness.config.HarnessSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An existing cluster, for running the specs against another installation: the harness
 * starts nothing and stops nothing.
 */
public final class KubeconfigCluster implements KubernetesCluster {
  private static final int PROBE_TIMEOUT_MILLIS = 10_000;

  private final Path kubeconfig;
  private final Config config;
  private final String version;

  private KubeconfigCluster(Path kubeconfig, Config config, String version) {
    this.kubeconfig = kubeconfig;
    this.config = config;
    this.version = version;
  }

  /** Reads the kubeconfig and makes one cheap call (GET /version), so a wrong file fails here, clearly. */
  public static KubeconfigCluster connect(HarnessSettings settings) {
    Path file = kubeconfigFile(settings);
    if (!Files.isReadable(file)) {
      throw new IllegalStateException("elemental.cluster=kubeconfig, but kubeconfig " + file + " does not exist or is"
          + " not readable. Fix: -Delemental.kubeconfig=/path/to/kubeconfig (or KUBECONFIG=...)");
    }
    Config config = Kubeconfigs.load(file);
    Config probeConfig = new ConfigBuilder(config).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(PROBE_TIMEOUT_MILLIS).withRequestTimeout(PROBE_TIMEOUT_MILLIS).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
      return new KubeconfigCluster(file, config, client.getKubernetesVersion().getGitVersion());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach " + config.getMasterUrl() + " from kubeconfig " + file + ": "
          + causes(e) + ". Fix: check the cluster is up and the kubeconfig's current context"
          + " (kubectl --kubeconfig " + file + " version)", e);
    }
  }

  /** -Delemental.kubeconfig or KUBECONFIG (its first existing entry, if it lists several), else ~/.kube/config. */
  private static Path kubeconfigFile(HarnessSettings settings) {
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    return settings.kubeconfig().map(path -> {
      String[] entries = path.toString().split(File.pathSeparator);
      return entries.length == 1 ? path : Arrays.stream(entries).filter(e -> !e.isBlank()).map(Path::of)
          .filter(Files::isReadable).findFirst().orElse(Path.of(entries[0]));
    }).orElse(home);
  }

  /** Every distinct message down the cause chain: fabric8's own says only "An error has occurred." */
  private static String causes(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
      String part = t == e ? String.valueOf(t.getMessage())
          : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
      if (!parts.contains(part)) parts.add(part);
    }
    return String.join(" <- ", parts);
  }

  @Override
  public String describe() {
    return "kubeconfig: Kubernetes " + version + " at " + config.getMasterUrl() + " (" + kubeconfig + ")";
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public Config adminConfig() {
    return new ConfigBuilder(config).build();
  }

  @Override
  public void close() {
    // Not ours to stop.
  }
}
