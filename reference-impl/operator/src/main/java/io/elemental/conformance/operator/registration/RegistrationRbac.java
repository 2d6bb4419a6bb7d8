package io.elemental.conformance.operator.registration;

import io.elemental.conformance.operator.status.Owners;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The identity a MachineRegistration gives its machines (ELEMENTAL.md §2): ServiceAccount,
 * Role, RoleBinding and the ServiceAccount's token Secret, all named after the registration,
 * owned by it (so the garbage collector removes them with it) and labelled as managed.
 */
public final class RegistrationRbac {
  private static final String FIELD_MANAGER = "elemental-operator";

  private final KubernetesClient client;

  public RegistrationRbac(KubernetesClient client) {
    this.client = client;
  }

  /** Server-side applies the four objects; the ServiceAccount first, as its token Secret needs it. */
  public ObjectReference apply(MachineRegistration mr) {
    for (HasMetadata desired : List.of(serviceAccount(mr), role(mr), roleBinding(mr), tokenSecret(mr))) {
      client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    return new ObjectReferenceBuilder()
        .withKind("ServiceAccount")
        .withNamespace(mr.getMetadata().getNamespace())
        .withName(mr.getMetadata().getName())
        .build();
  }

  static ServiceAccount serviceAccount(MachineRegistration mr) {
    return new ServiceAccountBuilder().withMetadata(ownedMeta(mr, mr.getMetadata().getName(), Map.of())).build();
  }

  static Role role(MachineRegistration mr) {
    return new RoleBuilder()
        .withMetadata(ownedMeta(mr, mr.getMetadata().getName(), Map.of()))
        .withRules(
            new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                .withVerbs("get", "watch", "list", "update", "patch").build(),
            new PolicyRuleBuilder().withApiGroups("management.cattle.io").withResources("settings")
                .withVerbs("get", "watch", "list").build())
        .build();
  }

  static RoleBinding roleBinding(MachineRegistration mr) {
    String name = mr.getMetadata().getName();
    return new RoleBindingBuilder()
        .withMetadata(ownedMeta(mr, name, Map.of()))
        .addNewSubject().withKind("ServiceAccount").withName(name)
            .withNamespace(mr.getMetadata().getNamespace()).endSubject()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .build();
  }

  static Secret tokenSecret(MachineRegistration mr) {
    String name = mr.getMetadata().getName();
    return new SecretBuilder()
        .withMetadata(ownedMeta(mr, name + Elemental.TOKEN_SECRET_SUFFIX,
            Map.of("kubernetes.io/service-account.name", name)))
        .withType("kubernetes.io/service-account-token")
        .build();
  }

  private static ObjectMeta ownedMeta(MachineRegistration mr, String name, Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(mr.getMetadata().getNamespace())
        .withLabels(Map.of(Elemental.MANAGED_LABEL, "true"))
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .withOwnerReferences(Owners.controller(mr))
        .build();
  }
}
