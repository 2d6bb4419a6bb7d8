package io.elemental.conformance.operator.selector;

import static io.elemental.conformance.api.v1beta1.Elemental.READY_CONDITION;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineInventorySelector;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MachineInventorySelector: what a cluster's machine (a CAPI Machine, through Rancher's Elemental
 * machine provider) asks of Elemental. As upstream's machineselector controller does, it adopts the
 * first inventory its label selector matches that no selector owns (and, here, that is not being
 * deleted), becoming its controller owner; once the inventory confirms the adoption
 * ({@code AdoptionReady}, set by the inventory's own reconciler) it writes the {@link BootstrapPlan} made
 * from the owning Machine's bootstrap data Secret into the inventory's plan Secret, then reports the
 * inventory's addresses and Ready.
 *
 * <p>When the selector goes (its Machine is deleted), Kubernetes' garbage collector deletes the inventory
 * it controls, and the inventory's finalizer resets a resettable machine: the reset path of a deleted
 * inventory, as upstream.
 */
@ControllerConfiguration(name = "machineinventoryselector")
public class MachineInventorySelectorReconciler implements Reconciler<MachineInventorySelector> {
  public static final String INVENTORY_READY_CONDITION = "InventoryReady";
  public static final String WAITING_FOR_INVENTORY = "WaitingForInventory";
  public static final String WAIT_FOR_INVENTORY_CHECK = "WaitForInventoryCheck";
  public static final String SUCCESSFULLY_ADOPTED_INVENTORY = "SuccessfullyAdoptedInventory";
  public static final String FAILED_TO_ADOPT_INVENTORY = "FailedToAdoptInventory";
  public static final String SUCCESSFULLY_UPDATED_PLAN = "SuccessfullyUpdatedPlan";
  public static final String FAILED_TO_UPDATE_PLAN = "FailedToUpdatePlan";
  public static final String SELECTOR_READY = "SelectorReady";

  static final String MACHINE_API_VERSION = "cluster.x-k8s.io/v1beta1";
  static final String LABEL_EXTERNAL_IP = "elemental.cattle.io/ExternalIP";
  static final String LABEL_INTERNAL_IP = "elemental.cattle.io/InternalIP";
  static final String LABEL_HOSTNAME = "elemental.cattle.io/Hostname";
  /** A Machine without its bootstrap data yet, or a plan Secret not made yet: looked at again this soon. */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(MachineInventorySelectorReconciler.class);

  private final KubernetesClient client;
  private volatile IndexerResourceCache<MachineInventorySelector> selectors;

  public MachineInventorySelectorReconciler(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public UpdateControl<MachineInventorySelector> reconcile(MachineInventorySelector selector,
      Context<MachineInventorySelector> context) {
    if (selector.getMetadata().getDeletionTimestamp() != null) return UpdateControl.noUpdate();
    if (selector.getStatus() == null) selector.setStatus(new MachineInventorySelector.Status());
    MachineInventorySelector.Status status = selector.getStatus();
    String namespace = selector.getMetadata().getNamespace();

    if (status.machineInventoryRef == null) {
      try {
        adopt(selector, status);
      } catch (KubernetesClientException e) {
        // Another selector took it first (409), or the inventory went: look again.
        Conditions.set(status.conditions, selector, READY_CONDITION, false, FAILED_TO_ADOPT_INVENTORY,
            "failed to adopt a machine inventory: " + e.getMessage());
        return UpdateControl.patchStatus(selector).rescheduleAfter(RECHECK);
      }
      if (status.machineInventoryRef == null) return UpdateControl.patchStatus(selector);
    }

    MachineInventory inventory = client.resources(MachineInventory.class).inNamespace(namespace)
        .withName(status.machineInventoryRef.getName()).get();
    Optional<OwnerReference> owner = inventory == null ? Optional.empty() : selectorOwner(inventory);
    if (inventory == null || owner.isPresent() && !owner.get().getName().equals(selector.getMetadata().getName())) {
      // Gone, or taken by another selector: adoption starts again.
      LOG.info("MachineInventorySelector {}/{}: MachineInventory {} {}; adopting again", namespace,
          selector.getMetadata().getName(), status.machineInventoryRef.getName(),
          inventory == null ? "is gone" : "belongs to " + owner.get().getName());
      restartAdoption(selector, status, inventory == null ? "the adopted machine inventory is gone"
          : "machine inventory ownership mismatch detected, restart adoption");
      return UpdateControl.patchStatus(selector).rescheduleAfter(RECHECK);
    }

    if (!Conditions.isTrue(status.conditions, INVENTORY_READY_CONDITION)) {
      if (!Conditions.isTrue(inventory.getStatus() == null ? List.of() : inventory.getStatus().conditions,
          MachineInventoryAdoption.ADOPTION_READY_CONDITION)) {
        Conditions.set(status.conditions, selector, INVENTORY_READY_CONDITION, "Unknown", WAIT_FOR_INVENTORY_CHECK,
            "waiting for MachineInventory " + inventory.getMetadata().getName() + " to confirm the adoption");
        return UpdateControl.patchStatus(selector);
      }
      Conditions.set(status.conditions, selector, INVENTORY_READY_CONDITION, true, SUCCESSFULLY_ADOPTED_INVENTORY,
          "adopted MachineInventory " + inventory.getMetadata().getName());
    }

    if (status.bootstrapPlanChecksum == null || status.bootstrapPlanChecksum.isEmpty()) {
      if (inventory.getStatus() == null || inventory.getStatus().plan == null
          || inventory.getStatus().plan.secretRef == null) {
        return UpdateControl.patchStatus(selector).rescheduleAfter(RECHECK);
      }
      try {
        byte[] plan = BootstrapPlan.bytes(bootstrapScript(selector), inventory);
        writePlan(inventory, plan);
        status.bootstrapPlanChecksum = BootstrapPlan.checksum(plan);
        LOG.info("MachineInventorySelector {}/{}: bootstrap plan written to the plan Secret of {}", namespace,
            selector.getMetadata().getName(), inventory.getMetadata().getName());
        Conditions.set(status.conditions, selector, READY_CONDITION, false, SUCCESSFULLY_UPDATED_PLAN,
            "bootstrap plan written to the plan Secret " + inventory.getStatus().plan.secretRef.getName());
      } catch (BootstrapDataException | KubernetesClientException e) {
        LOG.info("MachineInventorySelector {}/{}: no bootstrap plan: {}", namespace, selector.getMetadata().getName(),
            e.getMessage());
        Conditions.set(status.conditions, selector, READY_CONDITION, false, FAILED_TO_UPDATE_PLAN,
            "failed to set bootstrap plan: " + e.getMessage());
        return UpdateControl.patchStatus(selector).rescheduleAfter(RECHECK);
      }
    }

    status.addresses = addresses(inventory);
    status.ready = true;
    Conditions.set(status.conditions, selector, READY_CONDITION, true, SELECTOR_READY, "");
    return UpdateControl.patchStatus(selector);
  }

  /** The first matching inventory that no selector owns and that is not being deleted becomes this selector's. */
  private void adopt(MachineInventorySelector selector, MachineInventorySelector.Status status) {
    String namespace = selector.getMetadata().getNamespace();
    LabelSelector labels = selector.getSpec() == null || selector.getSpec().selector == null ? new LabelSelector()
        : selector.getSpec().selector;
    Conditions.set(status.conditions, selector, READY_CONDITION, false, WAITING_FOR_INVENTORY,
        "waiting for a MachineInventory matching " + describe(labels) + " that no selector owns");
    List<MachineInventory> matching = client.resources(MachineInventory.class).inNamespace(namespace)
        .withLabelSelector(labels).list().getItems();
    // Adopted already, by a pass whose status this one does not see yet (the cache lags the status patch):
    // that inventory is this selector's, and no second one is taken.
    Optional<MachineInventory> mine = matching.stream()
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> selectorOwner(i).filter(o -> selector.getMetadata().getUid().equals(o.getUid())).isPresent())
        .min(Comparator.comparing(i -> i.getMetadata().getName()));
    if (mine.isPresent()) {
      status.machineInventoryRef = new LocalObjectReference(mine.get().getMetadata().getName());
      Conditions.set(status.conditions, selector, INVENTORY_READY_CONDITION, "Unknown", WAIT_FOR_INVENTORY_CHECK,
          "waiting for MachineInventory " + mine.get().getMetadata().getName() + " to confirm the adoption");
      return;
    }
    Optional<MachineInventory> free = matching.stream()
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> selectorOwner(i).isEmpty())
        .min(Comparator.comparing(i -> i.getMetadata().getName()));
    if (free.isEmpty()) return;
    MachineInventory inventory = free.get();
    // Replaces the owners, as upstream does; the resourceVersion makes it fail if another selector was first.
    inventory.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder()
        .withApiVersion(selector.getApiVersion()).withKind(selector.getKind())
        .withName(selector.getMetadata().getName()).withUid(selector.getMetadata().getUid())
        .withController(true).build())));
    client.resource(inventory).update();
    status.machineInventoryRef = new LocalObjectReference(inventory.getMetadata().getName());
    Conditions.set(status.conditions, selector, INVENTORY_READY_CONDITION, "Unknown", WAIT_FOR_INVENTORY_CHECK,
        "waiting for MachineInventory " + inventory.getMetadata().getName() + " to confirm the adoption");
    LOG.info("MachineInventorySelector {}/{} adopted MachineInventory {}", namespace, selector.getMetadata().getName(),
        inventory.getMetadata().getName());
  }

  private static void restartAdoption(MachineInventorySelector selector, MachineInventorySelector.Status status,
      String why) {
    status.machineInventoryRef = null;
    status.bootstrapPlanChecksum = null;
    status.addresses = null;
    status.ready = null;
    Conditions.remove(status.conditions, INVENTORY_READY_CONDITION);
    Conditions.set(status.conditions, selector, READY_CONDITION, false, FAILED_TO_ADOPT_INVENTORY, why);
  }

  /** The script of the owning Machine's bootstrap data Secret ({@code spec.bootstrap.dataSecretName}, key {@code value}). */
  @SuppressWarnings("unchecked")
  private byte[] bootstrapScript(MachineInventorySelector selector) throws BootstrapDataException {
    String namespace = selector.getMetadata().getNamespace();
    OwnerReference machineRef = Optional.ofNullable(selector.getMetadata().getOwnerReferences()).orElse(List.of())
        .stream().filter(o -> MACHINE_API_VERSION.equals(o.getApiVersion()) && "Machine".equals(o.getKind()))
        .findFirst().orElseThrow(() -> new BootstrapDataException(
            "machine for machine inventory selector doesn't exist: no owner of kind Machine (" + MACHINE_API_VERSION
                + ")"));
    GenericKubernetesResource machine = client.genericKubernetesResources(MACHINE_API_VERSION, "Machine")
        .inNamespace(namespace).withName(machineRef.getName()).get();
    if (machine == null) {
      throw new BootstrapDataException("Machine " + namespace + "/" + machineRef.getName() + " does not exist");
    }
    Object spec = machine.getAdditionalProperties().get("spec");
    Object bootstrap = spec instanceof Map ? ((Map<String, Object>) spec).get("bootstrap") : null;
    Object secretName = bootstrap instanceof Map ? ((Map<String, Object>) bootstrap).get("dataSecretName") : null;
    if (secretName == null || secretName.toString().isEmpty()) {
      throw new BootstrapDataException("machine " + namespace + "/" + machineRef.getName()
          + " missing bootstrap data secret name (spec.bootstrap.dataSecretName)");
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName.toString()).get();
    if (secret == null) {
      throw new BootstrapDataException("bootstrap data Secret " + namespace + "/" + secretName + " of Machine "
          + machineRef.getName() + " not found");
    }
    String value = secret.getData() == null ? null : secret.getData().get("value");
    if (value == null || value.isEmpty()) {
      throw new BootstrapDataException("bootstrap data Secret " + namespace + "/" + secretName
          + " has no script under the key 'value'");
    }
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new BootstrapDataException("bootstrap data Secret " + namespace + "/" + secretName
          + ": 'value' is not base64: " + e.getMessage());
    }
  }

  private void writePlan(MachineInventory inventory, byte[] plan) {
    String encoded = Base64.getEncoder().encodeToString(plan);
    client.secrets().inNamespace(inventory.getStatus().plan.secretRef.getNamespace() == null
        ? inventory.getMetadata().getNamespace() : inventory.getStatus().plan.secretRef.getNamespace())
        .withName(inventory.getStatus().plan.secretRef.getName()).edit(s -> {
          if (s.getData() == null) s.setData(new HashMap<>());
          s.getData().put("plan", encoded);
          // As upstream: the plan type is the only annotation left.
          s.getMetadata().setAnnotations(new HashMap<>(Map.of(BootstrapPlan.PLAN_TYPE_ANNOTATION, BootstrapPlan.TYPE)));
          return s;
        });
  }

  /** Upstream reads these from the inventory's labels (what a registration's label templates put there). */
  private static List<NodeAddress> addresses(MachineInventory inventory) {
    Map<String, String> labels = Optional.ofNullable(inventory.getMetadata().getLabels()).orElse(Map.of());
    List<NodeAddress> addresses = new ArrayList<>();
    add(addresses, "ExternalIP", labels.get(LABEL_EXTERNAL_IP));
    add(addresses, "InternalIP", labels.get(LABEL_INTERNAL_IP));
    add(addresses, "Hostname", labels.get(LABEL_HOSTNAME));
    return addresses.isEmpty() ? null : addresses;
  }

  private static void add(List<NodeAddress> addresses, String type, String value) {
    if (value != null && !value.isEmpty()) addresses.add(new NodeAddress(value, type));
  }

  static Optional<OwnerReference> selectorOwner(MachineInventory inventory) {
    return Optional.ofNullable(inventory.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(o -> io.elemental.conformance.api.v1beta1.Elemental.API_VERSION.equals(o.getApiVersion())
            && "MachineInventorySelector".equals(o.getKind()))
        .findFirst();
  }

  private static String describe(LabelSelector selector) {
    List<String> parts = new ArrayList<>();
    Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).forEach((k, v) -> parts.add(k + "=" + v));
    Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())
        .forEach(e -> parts.add(e.getKey() + " " + e.getOperator() + " " + e.getValues()));
    return parts.isEmpty() ? "(everything)" : String.join(", ", parts);
  }

  /**
   * Inventories bring back their owning selector, or, when free, every selector of their namespace still
   * waiting for one (upstream: every selector whose label selector matches).
   */
  @Override
  public List<EventSource<?, MachineInventorySelector>> prepareEventSources(
      EventSourceContext<MachineInventorySelector> context) {
    selectors = context.getPrimaryCache();
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(MachineInventory.class, MachineInventorySelector.class)
        .withName("inventories")
        .withSecondaryToPrimaryMapper(this::selectorsFor)
        .build(), context));
  }

  private Set<ResourceID> selectorsFor(MachineInventory inventory) {
    String namespace = inventory.getMetadata().getNamespace();
    Optional<OwnerReference> owner = selectorOwner(inventory);
    if (owner.isPresent()) return Set.of(new ResourceID(owner.get().getName(), namespace));
    return selectors.list(namespace)
        .filter(s -> s.getStatus() == null || s.getStatus().machineInventoryRef == null)
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The Machine's bootstrap data cannot be had (yet): the selector says why and no plan is written. */
  static final class BootstrapDataException extends Exception {
    BootstrapDataException(String message) {
      super(message);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
