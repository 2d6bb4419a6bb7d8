package io.elemental.conformance.harness.sut;

import io.elemental.conformance.harness.support.SetupScripts;
import io.elemental.conformance.fixtures.process.ShortCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code helm} CLI built from helm.sh/helm/v4 by scripts/setup-helm.sh (which names its cached
 * build), or {@code -Delemental.helm=<path>}: how users install the Elemental operator, and so how
 * the harness installs the reference one.
 */
final class Helm {
  static final String SCRIPT = "scripts/setup-helm.sh";
  private final Path helm;
  private final Path kubeconfig;

  private Helm(Path helm, Path kubeconfig) {
    this.helm = helm;
    this.kubeconfig = kubeconfig;
  }

  static Helm forCluster(Path kubeconfig, Path cacheDir) {
    String configured = System.getProperty("elemental.helm", "");
    return new Helm(configured.isBlank() ? cached(cacheDir) : Path.of(configured), kubeconfig);
  }

  /** {@code helm upgrade --install ... --wait}; a failure quotes helm and names the fix. */
  String install(String release, Path chart, String namespace, List<String> sets, List<String> stringSets,
      Duration timeout) {
    List<String> command = new ArrayList<>(List.of(helm.toString(), "upgrade", "--install", release, chart.toString(),
        "--namespace", namespace, "--create-namespace", "--kubeconfig", kubeconfig.toString(),
        "--wait", "--timeout", timeout.toSeconds() + "s"));
    for (String set : sets) command.addAll(List.of("--set", set));
    for (String set : stringSets) command.addAll(List.of("--set-string", set)); // "6443" stays a string
    try {
      return ShortCommand.run("helm install " + release, command, timeout.plusSeconds(30));
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the chart " + chart + " did not install as release " + release + " in "
          + namespace + ": " + e.getMessage() + ". Fix: read the operator's log and events (kubectl --kubeconfig "
          + kubeconfig + " -n " + namespace + " describe pods), and check the chart with 'helm lint " + chart + "'", e);
    }
  }

  String version() {
    return ShortCommand.run("helm version", List.of(helm.toString(), "version", "--short"), Duration.ofSeconds(20))
        .trim();
  }

  private static Path cached(Path cacheDir) {
    return SetupScripts.cachedBinDir(SCRIPT, cacheDir, "run " + SCRIPT + " (it builds helm.sh/helm/v4 into the"
        + " harness cache), or pass -Delemental.helm=<path to helm>").resolve("helm");
  }

  static Path repositoryFile(String relative) {
    return SetupScripts.repositoryFile(relative);
  }
}
