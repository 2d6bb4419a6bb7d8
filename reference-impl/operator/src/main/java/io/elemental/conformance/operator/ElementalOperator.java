package io.elemental.conformance.operator;

import io.elemental.conformance.operator.crd.CrdInstaller;
import io.elemental.conformance.operator.crd.ElementalCrds;
import io.elemental.conformance.operator.inventory.MachineInventoryReconciler;
import io.elemental.conformance.operator.selector.MachineInventorySelectorReconciler;
import io.elemental.conformance.operator.server.RegistrationServer;
import io.elemental.conformance.operator.server.ServerTls;
import io.elemental.conformance.operator.seedimage.SeedImageDownloads;
import io.elemental.conformance.operator.seedimage.SeedImageReconciler;
import io.elemental.conformance.operator.upgrade.ManagedOSImageReconciler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.elemental.conformance.operator.registration.MachineRegistrationReconciler;
import io.elemental.conformance.operator.registration.RegistrationRbac;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference Elemental operator: its CRDs, its controllers, one Java Operator SDK
 * {@link Operator} running them against the given cluster. Used by the test harness in-JVM
 * and by {@link OperatorMain} on its own.
 */
public final class ElementalOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElementalOperator.class);

  private final KubernetesClient client;
  private final Operator operator;
  private final ServerTls tls;
  private final SeedImageReconciler seedImages;
  private SeedImageDownloads downloads;
  /** The ISO store when the caller gave no directory: this operator's alone, removed on close. */
  private Path temporarySeedImageStore;
  private RegistrationServer registration;

  private ElementalOperator(KubernetesClient client, ServerTls tls, Path seedImageCache, Path seedImageStore) {
    this.client = client;
    this.tls = tls;
    this.operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    RancherSettings settings = new RancherSettings(client);
    operator.register(new MachineRegistrationReconciler(settings, new RegistrationRbac(client)));
    operator.register(new MachineInventoryReconciler(client));
    operator.register(new MachineInventorySelectorReconciler(client));
    operator.register(new ManagedOSImageReconciler(client));
    seedImages = new SeedImageReconciler(client, settings, tls::caPem, seedImageCache, seedImageStore);
    operator.register(seedImages);
  }

  /**
   * The seed image cache unless told otherwise: {@code $ELEMENTAL_CACHE/seed}, else
   * {@code ~/.cache/elemental-harness/seed}. OS image layers ({@code blobs/}) and live images
   * by manifest digest ({@code images/}) are kept there across runs.
   */
  public static Path defaultSeedImageDir() {
    String cache = System.getenv("ELEMENTAL_CACHE");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "elemental-harness");
    return base.resolve("seed");
  }

  /** Installs (or updates) the elemental.cattle.io CRDs and waits until they are served. */
  public static void installCrds(KubernetesClient client) {
    new CrdInstaller(client).install(ElementalCrds.all(), 60);
  }

  /**
   * Starts the controllers and the registration endpoint (on {@code registrationPort}, 0 for
   * any free port); the CRDs must be installed and Rancher's Setting kind served.
   */
  public static ElementalOperator start(KubernetesClient client, int registrationPort, List<String> hostnames) {
    return start(client, registrationPort, hostnames, List.of());
  }

  /**
   * As above, with {@code alongside} served on the registration endpoint's port after the
   * operator's own paths: what fronts server-url with it (a test environment's Rancher parts).
   */
  public static ElementalOperator start(KubernetesClient client, int registrationPort, List<String> hostnames,
      List<Handler> alongside) {
    Path store;
    try {
      store = Files.createTempDirectory("elemental-seedimages-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for seed images: " + e.getMessage(), e);
    }
    ElementalOperator elemental = start(client, registrationPort, hostnames, defaultSeedImageDir(), store, alongside);
    elemental.temporarySeedImageStore = store;
    return elemental;
  }

  /**
   * As {@link #start(KubernetesClient, int, List)}, with seed images built in {@code seedImageDir}:
   * OS image layers and live images are cached in it (and reused across runs), each SeedImage's
   * ISO is kept under {@code seedimages/<uid>/}. One operator per directory: an operator removes
   * the ISOs of SeedImages its cluster does not have.
   */
  public static ElementalOperator start(KubernetesClient client, int registrationPort, List<String> hostnames,
      Path seedImageDir) {
    return start(client, registrationPort, hostnames, seedImageDir, seedImageDir.resolve("seedimages"), List.of());
  }

  private static ElementalOperator start(KubernetesClient client, int registrationPort, List<String> hostnames,
      Path seedImageCache, Path seedImageStore, List<Handler> alongside) {
    new RancherSettings(client).requireServed();
    long begin = System.nanoTime();
    ElementalOperator elemental = new ElementalOperator(client, ServerTls.selfSigned(hostnames), seedImageCache,
        seedImageStore);
    elemental.operator.start();
    elemental.downloads = elemental.seedImages.downloads();
    List<Handler> handlers = new java.util.ArrayList<>();
    handlers.add(elemental.downloads);
    handlers.addAll(alongside);
    elemental.registration = RegistrationServer.start(client, elemental.tls, registrationPort, handlers);
    LOG.info("reference operator started in {} ms against {}", (System.nanoTime() - begin) / 1_000_000,
        client.getMasterUrl());
    return elemental;
  }

  /** Where machines register, on this host: what Rancher's server-url should be when nothing fronts the operator. */
  public String registrationBaseUrl() {
    return "https://127.0.0.1:" + registration.port();
  }

  public int registrationPort() {
    return registration.port();
  }

  /** The CA of the registration endpoint's certificate, PEM (Rancher's cacerts). */
  public String registrationCaPem() {
    return registration.tls().caPem();
  }

  @Override
  public void close() {
    if (registration != null) registration.close();
    if (downloads != null) downloads.close();
    operator.stop();
    seedImages.close();
    if (temporarySeedImageStore != null) {
      try (var files = Files.walk(temporarySeedImageStore)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.warn("could not remove the seed image directory {}: {}", temporarySeedImageStore, e.getMessage());
      }
    }
  }

  public KubernetesClient client() {
    return client;
  }
}
