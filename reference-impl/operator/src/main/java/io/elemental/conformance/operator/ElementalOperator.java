package io.elemental.conformance.operator;

import io.elemental.conformance.operator.crd.CrdInstaller;
import io.elemental.conformance.operator.crd.ElementalCrds;
import io.elemental.conformance.operator.inventory.MachineInventoryReconciler;
import io.elemental.conformance.operator.server.RegistrationServer;
import io.elemental.conformance.operator.server.ServerTls;
import java.util.List;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.elemental.conformance.operator.registration.MachineRegistrationReconciler;
import io.elemental.conformance.operator.registration.RegistrationRbac;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
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
  private RegistrationServer registration;

  private ElementalOperator(KubernetesClient client) {
    this.client = client;
    this.operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    RancherSettings settings = new RancherSettings(client);
    operator.register(new MachineRegistrationReconciler(settings, new RegistrationRbac(client)));
    operator.register(new MachineInventoryReconciler(client));
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
    new RancherSettings(client).requireServed();
    long begin = System.nanoTime();
    ElementalOperator elemental = new ElementalOperator(client);
    elemental.operator.start();
    elemental.registration = RegistrationServer.start(client, ServerTls.selfSigned(hostnames), registrationPort);
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
    operator.stop();
  }

  public KubernetesClient client() {
    return client;
  }
}
