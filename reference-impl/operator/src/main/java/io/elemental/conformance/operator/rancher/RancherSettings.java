package io.elemental.conformance.operator.rancher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Optional;

/**
 * Rancher's global settings ({@code management.cattle.io/v3} Setting, cluster scoped), read the
 * way the real operator reads them: the {@code value} field, empty meaning unset.
 */
public final class RancherSettings {
  public static final String GROUP = "management.cattle.io";
  public static final String VERSION = "v3";
  public static final String KIND = "Setting";
  public static final String SERVER_URL = "server-url";
  public static final String CA_CERTS = "cacerts";

  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural("settings").withNamespaced(false)
      .build();

  private final KubernetesClient client;

  public RancherSettings(KubernetesClient client) {
    this.client = client;
  }

  /** Rancher's external URL, without a trailing slash; empty when unset. */
  public Optional<String> serverUrl() {
    return value(SERVER_URL).map(RancherSettings::withoutTrailingSlash);
  }

  public Optional<String> caCerts() {
    return value(CA_CERTS);
  }

  public Optional<String> value(String name) {
    return valueOf(client.genericKubernetesResources(CONTEXT).withName(name).get());
  }

  /** A Setting's value as Rancher means it: the top-level {@code value}, empty meaning unset. */
  public static Optional<String> valueOf(GenericKubernetesResource setting) {
    return Optional.ofNullable(setting)
        .map(s -> s.getAdditionalProperties().get("value"))
        .map(Object::toString)
        .filter(v -> !v.isBlank());
  }

  /** {@code server-url} without a trailing slash. */
  public static String withoutTrailingSlash(String url) {
    return url.replaceAll("/+$", "");
  }

  /** Fails with the fix when the cluster does not serve Rancher's Setting kind at all. */
  public void requireServed() {
    try {
      client.genericKubernetesResources(CONTEXT).list();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new IllegalStateException("This cluster does not serve " + GROUP + "/" + VERSION + " " + KIND
            + ": the operator reads Rancher's '" + SERVER_URL + "' setting from it. Fix: run against a cluster"
            + " with Rancher, or kubectl apply -f fake-rancher/src/main/resources/fake-rancher/crds/settings.management.cattle.io.yaml"
            + " and create the server-url Setting", e);
      }
      throw e;
    }
  }
}
