package io.elemental.conformance.steps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/** Core objects named by kind in the specs' tables ("| Secret | fleet-d-token |"). */
final class KubernetesObjects {
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "ServiceAccount", ServiceAccount.class,
      "Role", Role.class,
      "RoleBinding", RoleBinding.class,
      "Secret", Secret.class);

  private KubernetesObjects() {}

  static Optional<HasMetadata> get(KubernetesClient client, String kind, String namespace, String name) {
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("the specs know no kind '" + kind + "'; known: " + KINDS.keySet());
    }
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }
}
