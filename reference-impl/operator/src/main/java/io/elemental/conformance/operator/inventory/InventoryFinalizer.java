package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the {@code machineinventory.elemental.cattle.io} finalizer of a deleted inventory.
 * Today a deleted inventory simply goes; resettable machines (a reset plan first) come with
 * the reset behaviour. Runs on {@link InventoryIndex}'s watch.
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

  @Override
  public void onDelete(MachineInventory inventory, boolean finalStateUnknown) {
    // gone already
  }

  private void release(MachineInventory inventory) {
    if (inventory.getMetadata().getDeletionTimestamp() == null
        || !inventory.getMetadata().getFinalizers().contains(MachineInventory.FINALIZER)) {
      return;
    }
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
