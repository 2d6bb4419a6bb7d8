package io.elemental.conformance.operator.inventory;

import static io.elemental.conformance.api.v1beta1.Elemental.READY_CONDITION;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineInventorySelector;
import io.elemental.conformance.operator.selector.MachineInventoryAdoption;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Base64;

/**
 * MachineInventory: gives every registered machine its plan Secret (empty at first) and
 * reports in status what the machine's agent wrote back into it: Ready becomes
 * {@code PlanSuccessfullyApplied} when the agent's applied checksum is the plan's, and
 * {@code PlanFailure} when its failed checksum is; AdoptionReady says whether a MachineInventorySelector
 * adopted it ({@link MachineInventoryAdoption}). Deletion is {@link InventoryFinalizer}'s job: the real finalizer name
 * has no path, which the Java Operator SDK refuses for its own finalizers.
 */
@ControllerConfiguration(name = "machineinventory")
public class MachineInventoryReconciler implements Reconciler<MachineInventory> {
  public static final String WAITING_FOR_PLAN = "WaitingForPlan";
  public static final String PLAN_APPLIED = "PlanSuccessfullyApplied";
  public static final String PLAN_FAILURE = "PlanFailure";

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
    reportAgent(inventory, status, plan);
    MachineInventoryAdoption.update(client, inventory);
    return UpdateControl.patchStatus(inventory);
  }


  /** What the agent wrote back (system-agent's keys) against the checksum of the plan it was given. */
  private static void reportAgent(MachineInventory inventory, MachineInventory.Plan status, Secret plan) {
    String applied = decoded(plan, "applied-checksum");
    String failed = decoded(plan, "failed-checksum");
    if (status.checksum.equals(applied)) {
      status.state = "Applied";
      Conditions.set(inventory.getStatus().conditions, inventory, READY_CONDITION, true, PLAN_APPLIED,
          "plan successfully applied");
    } else if (status.checksum.equals(failed)) {
      status.state = "Failed";
      Conditions.set(inventory.getStatus().conditions, inventory, READY_CONDITION, false, PLAN_FAILURE,
          "failed to apply plan (failure count " + decoded(plan, "failure-count") + "): "
              + "see failed-output in Secret " + plan.getMetadata().getName());
    } else {
      Conditions.set(inventory.getStatus().conditions, inventory, READY_CONDITION, false, WAITING_FOR_PLAN,
          "waiting for the machine's agent to apply its plan");
    }
  }

  private static String decoded(Secret secret, String key) {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    return value == null ? "" : new String(Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The plan Secret is owned by its inventory: the agent writing into it brings the inventory back here. */
  @Override
  public java.util.List<EventSource<?, MachineInventory>> prepareEventSources(EventSourceContext<MachineInventory> context) {
    return java.util.List.of(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Secret.class, MachineInventory.class)
        .withName("plan-secrets")
        .withLabelSelector(io.elemental.conformance.api.v1beta1.Elemental.MANAGED_LABEL + "=true")
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MachineInventory.class))
        .build(), context),
        // A selector naming its inventory confirms the adoption (AdoptionReady).
        new InformerEventSource<>(InformerEventSourceConfiguration
        .from(MachineInventorySelector.class, MachineInventory.class)
        .withName("adopting-selectors")
        .withSecondaryToPrimaryMapper(selector -> selector.getStatus() == null
            || selector.getStatus().machineInventoryRef == null ? java.util.Set.of()
            : java.util.Set.of(new io.javaoperatorsdk.operator.processing.event.ResourceID(
                selector.getStatus().machineInventoryRef.getName(), selector.getMetadata().getNamespace())))
        .build(), context));
  }
}
