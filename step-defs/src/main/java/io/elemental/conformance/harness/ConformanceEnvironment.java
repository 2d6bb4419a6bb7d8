package io.elemental.conformance.harness;

import io.elemental.conformance.fakerancher.FakeRancher;
import io.elemental.conformance.harness.cluster.ClusterBackends;
import io.elemental.conformance.harness.cluster.KubernetesCluster;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.harness.machine.SimOsImages;
import io.elemental.conformance.harness.machine.SimulatedTpms;
import io.elemental.conformance.harness.support.Waits;
import io.elemental.conformance.harness.vm.VirtualMachineTier;
import io.elemental.conformance.harness.sut.ElementalSut;
import io.elemental.conformance.harness.sut.SystemsUnderTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every scenario of a run shares: the cluster, Rancher's stand-in, and the Elemental
 * implementation under test. Started once per JVM, on first use, in the order the real
 * components need (CRDs before the controller-manager), and stopped when the JVM exits.
 */
public final class ConformanceEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(ConformanceEnvironment.class);
  private static ConformanceEnvironment shared;
  private static RuntimeException startFailure;

  private final HarnessSettings settings;
  private final KubernetesCluster cluster;
  private final KubernetesClient client;
  private final ElementalSut sut;
  private final FakeRancher rancher;
  private final Waits waits;
  private final Map<String, Long> startupMillis;
  private final SimulatedTpms tpms;
  private VirtualMachineTier virtualMachines;
  private SimOsImages simOsImages;

  private ConformanceEnvironment(HarnessSettings settings, KubernetesCluster cluster, KubernetesClient client,
      ElementalSut sut, FakeRancher rancher, Map<String, Long> startupMillis) {
    this.settings = settings;
    this.cluster = cluster;
    this.client = client;
    this.sut = sut;
    this.rancher = rancher;
    this.waits = new Waits(settings.timeoutScale());
    this.startupMillis = startupMillis;
    this.tpms = new SimulatedTpms(settings.workDir());
  }

  /** The environment of this JVM, started on first call. */
  public static synchronized ConformanceEnvironment shared() {
    if (startFailure != null) {
      // Fail every later scenario at once with the same cause, instead of starting a cluster each time.
      throw new IllegalStateException("the conformance environment failed to start: " + startFailure.getMessage(),
          startFailure);
    }
    if (shared == null) {
      try {
        shared = start(HarnessSettings.fromSystemProperties());
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "conformance-environment-stop"));
    }
    return shared;
  }

  private static ConformanceEnvironment start(HarnessSettings settings) {
    Map<String, Long> phases = new LinkedHashMap<>();
    long t = System.nanoTime();
    KubernetesCluster cluster = ClusterBackends.start(settings);
    t = lap(phases, "cluster", t);
    KubernetesClient client = cluster.newClient();
    ElementalSut sut = SystemsUnderTest.named(settings.sut(), settings);
    try {
      FakeRancher rancher = new FakeRancher(client).installCrdsIfAbsent();
      sut.installCrds(client);
      t = lap(phases, "crds", t);
      cluster.startControllers();
      t = lap(phases, "controllers", t);
      sut.start(cluster, client);
      // Rancher's settings point machines at the implementation, as a Rancher in front of it would.
      sut.rancherEndpoint().ifPresent(endpoint -> rancher.serverUrl(endpoint.serverUrl()).caCerts(endpoint.caCertPem()));
      rancher.startProvisioning(); // Rancher's Clusters, Machines, bootstrap Secrets; stops with the client (stop())
      lap(phases, "sut", t);
      LOG.info("conformance environment ready in {} ms ({}); cluster: {}; sut: {}",
          phases.values().stream().mapToLong(Long::longValue).sum(),
          phases.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms").collect(Collectors.joining(", ")),
          cluster.describe(), sut.describe());
      return new ConformanceEnvironment(settings, cluster, client, sut, rancher, phases);
    } catch (RuntimeException e) {
      sut.close();
      client.close();
      cluster.close();
      throw e;
    }
  }

  private static long lap(Map<String, Long> phases, String name, long since) {
    long now = System.nanoTime();
    phases.put(name, (now - since) / 1_000_000);
    return now;
  }

  private void stop() {
    try {
      sut.close();
    } finally {
      client.close();
      cluster.close();
    }
  }

  public HarnessSettings settings() {
    return settings;
  }

  public KubernetesCluster cluster() {
    return cluster;
  }

  /** A cluster-admin client shared by all scenarios (fabric8 clients are thread-safe). */
  public KubernetesClient client() {
    return client;
  }

  public FakeRancher rancher() {
    return rancher;
  }

  public ElementalSut sut() {
    return sut;
  }

  /** Software TPMs for simulated machines, with this run's manufacturer CA. */
  public SimulatedTpms tpms() {
    return tpms;
  }

  /** The @sim tier's OS images; Docker and a registry start on first use. */
  public synchronized SimOsImages simOsImages() {
    if (simOsImages == null) {
      simOsImages = new SimOsImages(settings.workDir().resolve("sim-os-image"));
    }
    return simOsImages;
  }

  /** The @vm tier's shared parts (OS image, SSH key), made when the first VM scenario needs them. */
  public synchronized VirtualMachineTier virtualMachines() {
    if (virtualMachines == null) {
      virtualMachines = new VirtualMachineTier(settings, tpms);
    }
    return virtualMachines;
  }

  public Waits waits() {
    return waits;
  }

  public Map<String, Long> startupMillis() {
    return startupMillis;
  }
}
