package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  public InventoryIndex(KubernetesClient client) {
    informer = client.resources(MachineInventory.class).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(Map.of(BY_IDENTITY, InventoryIndex::identities));
    // Released by the same watch: one watch of every inventory in the cluster is enough.
    informer.addEventHandler(new InventoryFinalizer(client));
    informer.run();
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
    informer.close();
  }
}
