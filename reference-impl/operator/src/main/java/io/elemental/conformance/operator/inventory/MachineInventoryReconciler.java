package io.elemental.conformance.operator.inventory;

import static io.elemental.conformance.api.v1beta1.Elemental.READY_CONDITION;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Base64;

/**
 * MachineInventory: gives every registered machine its plan Secret (empty at first) and
 * reports it in status. Deletion is {@link InventoryFinalizer}'s job: the real finalizer name
 * has no path, which the Java Operator SDK refuses for its own finalizers.
 */
@ControllerConfiguration(name = "machineinventory")
public class MachineInventoryReconciler implements Reconciler<MachineInventory> {
  public static final String WAITING_FOR_PLAN = "WaitingForPlan";

  private final KubernetesClient client;

  public MachineInventoryReconciler(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the empty plan (the common case: one request), or reads the one that exists. */
  private Secret planSecret(MachineInventory inventory) {
    if (inventory.getStatus() == null || inventory.getStatus().plan == null) {
      try {
        return client.resource(PlanSecrets.empty(inventory)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
    Secret existing = client.secrets().inNamespace(inventory.getMetadata().getNamespace())
        .withName(inventory.getMetadata().getName()).get();
    return existing != null ? existing : client.resource(PlanSecrets.empty(inventory)).create();
  }

  @Override
  public UpdateControl<MachineInventory> reconcile(MachineInventory inventory, Context<MachineInventory> context) {
    String namespace = inventory.getMetadata().getNamespace();
    String name = inventory.getMetadata().getName();
    Secret plan = planSecret(inventory);
    if (inventory.getStatus() == null) inventory.setStatus(new MachineInventory.Status());
    MachineInventory.Plan status = new MachineInventory.Plan();
    status.secretRef = new ObjectReferenceBuilder().withNamespace(namespace).withName(name).build();
    status.checksum = PlanSecrets.checksum(Base64.getDecoder().decode(
        plan.getData() == null ? "" : plan.getData().getOrDefault("plan", "")));
    inventory.getStatus().plan = status;
    if (!Conditions.isTrue(inventory.getStatus().conditions, READY_CONDITION)) {
      Conditions.set(inventory.getStatus().conditions, inventory, READY_CONDITION, false, WAITING_FOR_PLAN,
          "waiting for the machine's agent to apply its plan");
    }
    return UpdateControl.patchStatus(inventory);
  }

}
