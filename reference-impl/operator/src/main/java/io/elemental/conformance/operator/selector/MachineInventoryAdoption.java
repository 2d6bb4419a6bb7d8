package io.elemental.conformance.operator.selector;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineInventorySelector;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The inventory's side of an adoption, upstream's {@code updateInventoryWithAdoptionStatus}: an inventory
 * a selector owns is {@code AdoptionReady} ({@code SuccessfullyAdopted}) once that selector's
 * {@code machineInventoryRef} names it; until then {@code ValidatingAdoption} (Unknown); without an owning
 * selector, {@code WaitingToBeAdopted}. Upstream also drops an ownership that is not confirmed within 5 s;
 * here a selector that lost its inventory adopts again instead.
 */
public final class MachineInventoryAdoption {
  public static final String ADOPTION_READY_CONDITION = "AdoptionReady";
  public static final String WAITING_TO_BE_ADOPTED = "WaitingToBeAdopted";
  public static final String VALIDATING_ADOPTION = "ValidatingAdoption";
  public static final String SUCCESSFULLY_ADOPTED = "SuccessfullyAdopted";

  private MachineInventoryAdoption() {}

  /** Sets the inventory's AdoptionReady condition (in memory: the caller patches the status). */
  public static void update(KubernetesClient client, MachineInventory inventory) {
    var conditions = inventory.getStatus().conditions;
    Optional<OwnerReference> owner = MachineInventorySelectorReconciler.selectorOwner(inventory);
    if (owner.isEmpty()) {
      Conditions.set(conditions, inventory, ADOPTION_READY_CONDITION, false, WAITING_TO_BE_ADOPTED,
          "Waiting to be adopted");
      return;
    }
    MachineInventorySelector selector = client.resources(MachineInventorySelector.class)
        .inNamespace(inventory.getMetadata().getNamespace()).withName(owner.get().getName()).get();
    boolean confirmed = selector != null && selector.getStatus() != null
        && selector.getStatus().machineInventoryRef != null
        && inventory.getMetadata().getName().equals(selector.getStatus().machineInventoryRef.getName());
    if (confirmed) {
      Conditions.set(conditions, inventory, ADOPTION_READY_CONDITION, true, SUCCESSFULLY_ADOPTED,
          "Successfully adopted by MachineInventorySelector " + owner.get().getName());
    } else {
      Conditions.set(conditions, inventory, ADOPTION_READY_CONDITION, "Unknown", VALIDATING_ADOPTION,
          "Adoption being validated");
    }
  }
}
