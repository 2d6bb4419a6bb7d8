package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.Elemental;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every MachineInventory in the cluster, indexed by the machine's identity, so a registration
 * finds "its" inventory in any namespace without listing them all; deleted inventories are
 * released ({@link InventoryFinalizer}) from the same watch.
 */
public final class InventoryIndex implements AutoCloseable {
  private static final String BY_IDENTITY = "identity";

  private final SharedIndexInformer<MachineInventory> informer;
  private final SharedIndexInformer<Secret> planSecrets;

  public InventoryIndex(KubernetesClient client) {
    informer = client.resources(MachineInventory.class).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(Map.of(BY_IDENTITY, InventoryIndex::identities));
    // Released by the same watch: one watch of every inventory in the cluster is enough.
    InventoryFinalizer finalizer = new InventoryFinalizer(client);
    informer.addEventHandler(finalizer);
    informer.run();
    // A reset waits for its plan to be applied: plan Secret changes bring their inventory back.
    planSecrets = client.secrets().inAnyNamespace().withLabel(Elemental.MANAGED_LABEL, "true").runnableInformer(0);
    planSecrets.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Secret secret) {
        finalizer.planChanged(secret, inventoryOf(secret));
      }

      @Override
      public void onUpdate(Secret before, Secret secret) {
        finalizer.planChanged(secret, inventoryOf(secret));
      }

      @Override
      public void onDelete(Secret secret, boolean finalStateUnknown) {
        finalizer.planChanged(secret, inventoryOf(secret));
      }
    });
    planSecrets.run();
  }

  private MachineInventory inventoryOf(Secret secret) {
    return informer.getStore().getByKey(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName());
  }

  public Optional<MachineInventory> find(MachineIdentity identity) {
    return informer.getIndexer().byIndex(BY_IDENTITY, identity.key()).stream().findFirst();
  }

  private static List<String> identities(MachineInventory inventory) {
    if (inventory.getSpec() == null) return List.of();
    if (inventory.getSpec().tpmHash != null && !inventory.getSpec().tpmHash.isEmpty()) {
      return List.of("tpm:" + inventory.getSpec().tpmHash);
    }
    if (inventory.getSpec().machineHash != null && !inventory.getSpec().machineHash.isEmpty()) {
      return List.of("machine:" + inventory.getSpec().machineHash);
    }
    return List.of();
  }

  @Override
  public void close() {
    planSecrets.close();
    informer.close();
  }
}
