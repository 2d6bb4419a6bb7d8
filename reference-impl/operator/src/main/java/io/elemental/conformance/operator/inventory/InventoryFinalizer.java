package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the {@code machineinventory.elemental.cattle.io} finalizer of a deleted inventory.
 * A resettable one ({@code elemental.cattle.io/resettable=true}) first gets the
 * {@link ResetPlan} in its plan Secret, and goes once its agent reports that plan applied; any
 * other goes at once. Runs on {@link InventoryIndex}'s watches of inventories and plan Secrets.
 */
final class InventoryFinalizer implements ResourceEventHandler<MachineInventory> {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryFinalizer.class);

  private final KubernetesClient client;

  InventoryFinalizer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void onAdd(MachineInventory inventory) {
    release(inventory);
  }

  @Override
  public void onUpdate(MachineInventory before, MachineInventory inventory) {
    release(inventory);
  }

  private static boolean isResettable(MachineInventory inventory) {
    return "true".equals(Optional.ofNullable(inventory.getMetadata().getAnnotations()).orElse(Map.of())
        .get(ResetPlan.RESETTABLE_ANNOTATION));
  }

  /** Puts the reset plan in place if it is not there yet; true once the agent applied it. */
  private boolean resetApplied(MachineInventory inventory) {
    String namespace = inventory.getMetadata().getNamespace();
    String name = inventory.getMetadata().getName();
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) return true; // no plan, no agent to reset the machine: nothing to wait for
    byte[] plan = ResetPlan.bytes();
    String checksum = PlanSecrets.checksum(plan);
    Map<String, String> data = Optional.ofNullable(secret.getData()).orElse(Map.of());
    String encodedPlan = Base64.getEncoder().encodeToString(plan);
    if (!encodedPlan.equals(data.get("plan"))) {
      try {
        client.secrets().inNamespace(namespace).withName(name).edit(s -> {
          s.getData().put("plan", encodedPlan);
          s.getMetadata().getAnnotations().put(PlanSecrets.PLAN_TYPE_ANNOTATION, ResetPlan.TYPE);
          return s;
        });
        LOG.info("MachineInventory {}/{} deleted: reset plan written, waiting for the machine to apply it", namespace,
            name);
      } catch (KubernetesClientException e) {
        LOG.debug("writing the reset plan of {}: {}", name, e.getMessage());
      }
      return false;
    }
    String applied = data.get("applied-checksum");
    return applied != null && checksum.equals(new String(Base64.getDecoder().decode(applied)));
  }

  @Override
  public void onDelete(MachineInventory inventory, boolean finalStateUnknown) {
    // gone already
  }

  /** A plan Secret changed: its inventory may be waiting for the reset plan to be applied. */
  void planChanged(Secret secret, MachineInventory inventory) {
    if (inventory != null) release(inventory);
  }

  private void release(MachineInventory inventory) {
    if (inventory.getMetadata().getDeletionTimestamp() == null
        || !inventory.getMetadata().getFinalizers().contains(MachineInventory.FINALIZER)) {
      return;
    }
    if (isResettable(inventory) && !resetApplied(inventory)) return;
    try {
      client.resource(inventory).edit(i -> {
        List<String> finalizers = new ArrayList<>(i.getMetadata().getFinalizers());
        finalizers.remove(MachineInventory.FINALIZER);
        i.getMetadata().setFinalizers(finalizers);
        return i;
      });
      LOG.info("MachineInventory {}/{} released", inventory.getMetadata().getNamespace(),
          inventory.getMetadata().getName());
    } catch (KubernetesClientException e) {
      // Gone meanwhile, or changed: the next event retries.
      LOG.debug("releasing {}: {}", inventory.getMetadata().getName(), e.getMessage());
    }
  }
}
