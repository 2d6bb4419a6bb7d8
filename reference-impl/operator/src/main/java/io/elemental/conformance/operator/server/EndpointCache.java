package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Optional;

/**
 * What every registration reads besides its own objects (Rancher's settings, the registration
 * tokens), from watches instead of one API request each: a registration then costs the API
 * server only the writes it makes.
 */
final class EndpointCache implements AutoCloseable {
  private final SharedIndexInformer<GenericKubernetesResource> settings;
  private final SharedIndexInformer<Secret> managedSecrets;

  EndpointCache(KubernetesClient client) {
    settings = client.genericKubernetesResources(RancherSettings.CONTEXT).inform();
    managedSecrets = client.secrets().inAnyNamespace().withLabel(Elemental.MANAGED_LABEL, "true").inform();
  }

  Optional<String> setting(String name) {
    return RancherSettings.valueOf(settings.getStore().getByKey(name));
  }

  Optional<Secret> managedSecret(String namespace, String name) {
    return Optional.ofNullable(managedSecrets.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }

  @Override
  public void close() {
    settings.close();
    managedSecrets.close();
  }
}
