package io.elemental.conformance.harness.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/** k3s in a container (Testcontainers' K3s module), where Docker runs and already has the image. */
public final class K3sCluster implements KubernetesCluster {
  private static final Logger LOG = LoggerFactory.getLogger(K3sCluster.class);
  /** unavailableReason must answer quickly, even when a Docker socket exists but nothing answers on it. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  /** What Testcontainers 2.0.5 starts as its reaper (org.testcontainers.utility.RyukContainer). */
  private static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";

  private final K3sContainer container;
  private final Path kubeconfig;
  private final Config config;

  private K3sCluster(K3sContainer container, Path kubeconfig, Config config) {
    this.container = container;
    this.kubeconfig = kubeconfig;
    this.config = config;
  }

  public static K3sCluster start(HarnessSettings settings) {
    unavailableReason(settings).ifPresent(reason -> {
      throw new IllegalStateException("elemental.cluster=k3s cannot run: " + reason);
    });
    long start = System.nanoTime();
    // Any k3s image will do (a mirror, a local build): Testcontainers only checks the name.
    K3sContainer container = new K3sContainer(DockerImageName.parse(settings.k3sImage())
        .asCompatibleSubstituteFor("rancher/k3s"));
    container.start();
    try {
      Files.createDirectories(settings.workDir());
      Path file = settings.workDir().resolve("k3s-" + container.getContainerId().substring(0, 12) + ".kubeconfig");
      Files.writeString(file, container.getKubeConfigYaml());
      K3sCluster cluster = new K3sCluster(container, file, Kubeconfigs.load(file));
      LOG.info("k3s ready in {} ms: {}", (System.nanoTime() - start) / 1_000_000, cluster.describe());
      return cluster;
    } catch (IOException e) {
      container.stop();
      throw new UncheckedIOException("could not write k3s's kubeconfig into " + settings.workDir(), e);
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
  }

  /**
   * Why k3s cannot run here, if it cannot: no Docker engine, or an image missing (this harness
   * never pulls; these machines reach no registry). Takes a few seconds at most, starts nothing.
   */
  public static Optional<String> unavailableReason(HarnessSettings settings) {
    if (!dockerSocketMayExist()) {
      return Optional.of("no Docker engine: no /var/run/docker.sock and no DOCKER_HOST. Fix: start Docker"
          + " (dockerd &) or pick -Delemental.cluster=local");
    }
    CompletableFuture<Optional<String>> probe = CompletableFuture.supplyAsync(() -> probeDocker(settings));
    try {
      return probe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      probe.cancel(true);
      return Optional.of("Docker did not answer within " + PROBE_TIMEOUT.toSeconds() + " s. Fix: check it"
          + " (docker info), restart it (dockerd &) or pick -Delemental.cluster=local");
    } catch (ExecutionException e) {
      return Optional.of("Docker check failed: " + e.getCause() + ". Fix: check Docker (docker info)"
          + " or pick -Delemental.cluster=local");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking Docker");
    }
  }

  private static boolean dockerSocketMayExist() {
    String home = System.getProperty("user.home");
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    return System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of(home, ".testcontainers.properties"))
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
        || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
  }

  /**
   * Finds Docker the way Testcontainers does, but through a client of our own: Testcontainers'
   * shared client would start its Ryuk reaper container first, which means a pull.
   */
  private static Optional<String> probeDocker(HarnessSettings settings) {
    TransportConfig transport;
    try {
      transport = DockerClientFactory.instance().getTransportConfig();
    } catch (RuntimeException e) {
      return Optional.of("no Docker engine is reachable (" + e.getMessage() + "). Fix: start Docker (dockerd &)"
          + " or pick -Delemental.cluster=local");
    }
    List<String> missing = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    try (DockerClient docker = DockerClientProviderStrategy.getClientForConfig(transport)) {
      if (!hasImage(docker, substituted(settings.k3sImage()))) {
        missing.add(settings.k3sImage());
        fixes.add("load the image: docker load -i k3s.tar (or set -Delemental.k3s.image= to one Docker has)");
      }
      if (!Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
        String ryuk = substituted(RYUK_IMAGE);
        if (!hasImage(docker, ryuk)) {
          missing.add(ryuk + " (Testcontainers' reaper)");
          fixes.add("docker load -i ryuk.tar, or set TESTCONTAINERS_RYUK_DISABLED=true");
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.of("Docker at " + transport.getDockerHost() + " cannot be used: " + e.getMessage()
          + ". Fix: check it (docker info); an old engine may need DOCKER_API_VERSION=1.41");
    }
    if (missing.isEmpty()) return Optional.empty();
    return Optional.of("Docker has no image " + String.join(", ", missing) + " and this harness never pulls. Fix: "
        + String.join("; ", fixes) + "; or pick -Delemental.cluster=local");
  }

  /** The name Testcontainers will really ask Docker for (after a configured registry prefix, say). */
  private static String substituted(String image) {
    return ImageNameSubstitutor.instance().apply(DockerImageName.parse(image)).asCanonicalNameString();
  }

  private static boolean hasImage(DockerClient docker, String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public String describe() {
    return "k3s: " + container.getDockerImageName() + " at " + config.getMasterUrl();
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
    container.stop();
  }
}
