package io.elemental.conformance.fakerancher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rancher, as far as Elemental sees it: the {@code management.cattle.io/v3} Setting kind and the two
 * settings the operator reads, {@code server-url} and {@code cacerts}; and provisioning
 * ({@code provisioning.cattle.io/v1} Clusters whose machine pools are Elemental's, CAPI Machines,
 * bootstrap and machine-plan Secrets: {@link ClusterProvisioning}), once started.
 */
public final class FakeRancher {
  private static final Logger LOG = LoggerFactory.getLogger(FakeRancher.class);
  private static final String FIELD_MANAGER = "fake-rancher";
  private static final List<String> CRDS = List.of("settings.management.cattle.io", "clusters.provisioning.cattle.io",
      "machines.cluster.x-k8s.io");

  public static final ResourceDefinitionContext SETTINGS = new ResourceDefinitionContext.Builder()
      .withGroup("management.cattle.io").withVersion("v3").withKind("Setting").withPlural("settings")
      .withNamespaced(false).build();

  private final KubernetesClient client;
  private ClusterProvisioning provisioning;

  public FakeRancher(KubernetesClient client) {
    this.client = client;
  }

  /** Installs Rancher's CRDs (idempotent) and waits until they are served. */
  public FakeRancher installCrds() {
    for (String name : CRDS) {
      CustomResourceDefinition crd = loadCrd(name);
      client.apiextensions().v1().customResourceDefinitions().resource(crd)
          .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
          c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
                  .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
          60, TimeUnit.SECONDS);
    }
    return this;
  }

  /**
   * Installs Rancher's CRDs unless the cluster already serves them: against a real Rancher the
   * real definitions stay untouched.
   */
  public FakeRancher installCrdsIfAbsent() {
    boolean allServed = CRDS.stream()
        .allMatch(name -> client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null);
    return allServed ? this : installCrds();
  }

  /**
   * Starts Rancher's provisioning controller ({@link ClusterProvisioning}) on this client; it stops when the
   * client closes (its informers are the client's), or on {@link #stopProvisioning()}.
   */
  public synchronized FakeRancher startProvisioning() {
    if (provisioning == null) provisioning = new ClusterProvisioning(client, this).start();
    return this;
  }

  public synchronized void stopProvisioning() {
    if (provisioning != null) provisioning.close();
    provisioning = null;
  }

  /** Reads a global setting's value; empty when unset. */
  public String setting(String name) {
    GenericKubernetesResource setting = client.genericKubernetesResources(SETTINGS).withName(name).get();
    Object value = setting == null ? null : setting.getAdditionalProperties().get("value");
    return value == null ? "" : value.toString();
  }

  /** Sets a global setting as an administrator does in Rancher's UI. An empty value unsets it. */
  public FakeRancher setSetting(String name, String value) {
    GenericKubernetesResource setting = new GenericKubernetesResourceBuilder()
        .withApiVersion("management.cattle.io/v3").withKind("Setting")
        .withNewMetadata().withName(name).endMetadata()
        .withAdditionalProperties(Map.of("value", value == null ? "" : value))
        .build();
    client.genericKubernetesResources(SETTINGS).resource(setting)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    LOG.info("Rancher setting {} = {}", name, value == null || value.isEmpty() ? "(unset)" : value);
    return this;
  }

  public FakeRancher serverUrl(String url) {
    return setSetting("server-url", url);
  }

  public FakeRancher caCerts(String pem) {
    return setSetting("cacerts", pem);
  }

  private static CustomResourceDefinition loadCrd(String name) {
    String path = "fake-rancher/crds/" + name + ".yaml";
    try (InputStream in = FakeRancher.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " missing from the fake-rancher jar");
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
