package io.elemental.conformance.operator.inventory;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a registration into a MachineInventory (ELEMENTAL.md §3-§4): found by the machine's
 * identity in any namespace, or created in the registration's namespace with its templated
 * name, labels and annotations. Registrations of one identity are serialised, so two machines
 * racing with one identity get one inventory.
 */
public final class InventoryRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryRegistrar.class);

  private final KubernetesClient client;
  private final InventoryIndex index;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** Inventories created here that the index may not have seen yet. */
  private final Map<String, MachineInventory> justCreated = new ConcurrentHashMap<>();

  public InventoryRegistrar(KubernetesClient client, InventoryIndex index) {
    this.client = client;
    this.index = index;
  }

  public Optional<MachineInventory> find(MachineIdentity identity) {
    Optional<MachineInventory> indexed = index.find(identity);
    if (indexed.isPresent()) {
      justCreated.remove(identity.key());
      return indexed;
    }
    MachineInventory recent = justCreated.get(identity.key());
    if (recent == null) return Optional.empty();
    // Not indexed yet, or already deleted again: ask the API server.
    Optional<MachineInventory> live = Optional.ofNullable(client.resource(recent).get());
    if (live.isEmpty()) justCreated.remove(identity.key());
    return live;
  }

  /** Creates or updates the machine's inventory; fails with the reason sent back to the machine. */
  public MachineInventory register(MachineRegistration mr, RegistrationRequest request) throws RegistrationRefused {
    MachineIdentity identity = request.identity();
    synchronized (locks.computeIfAbsent(identity.key(), k -> new Object())) {
      Optional<MachineInventory> existing = find(identity);
      if (existing.isPresent() && existing.get().getMetadata().getDeletionTimestamp() != null) {
        throw new RegistrationRefused("MachineInventory " + existing.get().getMetadata().getName() + " of this machine"
            + " is being deleted (a reset waits for its plan); register again once it is gone");
      }
      if (existing.isPresent()) {
        return update(existing.get(), mr, request);
      }
      return create(mr, request);
    }
  }

  private MachineInventory create(MachineRegistration mr, RegistrationRequest request) throws RegistrationRefused {
    Templater templater = request.templater();
    MachineInventory inventory = new MachineInventory();
    ObjectMeta meta = inventory.getMetadata();
    meta.setNamespace(mr.getMetadata().getNamespace());
    meta.setName(name(mr, templater));
    meta.setLabels(labels(mr, request, templater, Map.of()));
    meta.setAnnotations(annotations(mr, request, templater));
    meta.setFinalizers(List.of(MachineInventory.FINALIZER));
    inventory.setSpec(new MachineInventory.Spec());
    inventory.getSpec().tpmHash = request.identity().tpmHash();
    inventory.getSpec().machineHash = request.identity().machineHash();
    try {
      MachineInventory created = client.resource(inventory).create();
      justCreated.put(request.identity().key(), created);
      LOG.info("registered new machine as MachineInventory {}/{}", meta.getNamespace(), meta.getName());
      return created;
    } catch (KubernetesClientException e) {
      throw new RegistrationRefused("cannot create MachineInventory " + meta.getNamespace() + "/" + meta.getName()
          + ": " + e.getStatus().getMessage(), e);
    }
  }

  /** A machine coming back: same inventory, labels and annotations rendered again. */
  private MachineInventory update(MachineInventory inventory, MachineRegistration mr, RegistrationRequest request)
      throws RegistrationRefused {
    Templater templater = request.templater();
    // By name, not the indexed copy; the operator's own status writes can land in between: retry those.
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(MachineInventory.class).inNamespace(inventory.getMetadata().getNamespace())
            .withName(inventory.getMetadata().getName()).edit(i -> {
              Map<String, String> labels = new HashMap<>(Optional.ofNullable(i.getMetadata().getLabels()).orElse(Map.of()));
              labels.putAll(labels(mr, request, templater, labels));
              Map<String, String> annotations =
                  new HashMap<>(Optional.ofNullable(i.getMetadata().getAnnotations()).orElse(Map.of()));
              annotations.putAll(annotations(mr, request, templater));
              i.getMetadata().setLabels(labels);
              i.getMetadata().setAnnotations(annotations);
              return i;
            });
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < 5) continue;
        throw new RegistrationRefused("cannot update MachineInventory " + inventory.getMetadata().getName() + ": "
            + e.getMessage(), e);
      }
    }
  }

  private static String name(MachineRegistration mr, Templater templater) {
    String template = mr.getSpec() == null ? null : mr.getSpec().machineName;
    if (template != null && !template.isBlank()) {
      try {
        String name = Names.inventoryName(templater.fill(template));
        if (!name.isEmpty()) return name;
      } catch (Templater.TemplateException e) {
        LOG.info("machineName template '{}' of {}: {}; using the default name", template,
            mr.getMetadata().getName(), e.getMessage());
      }
    }
    return "m-" + UUID.randomUUID();
  }

  /** The registration's labels (unprefixed) and the machine's own (prefixed); unresolvable ones are skipped. */
  private static Map<String, String> labels(MachineRegistration mr, RegistrationRequest request, Templater templater,
      Map<String, String> current) {
    Map<String, String> out = new HashMap<>();
    Map<String, String> templates = mr.getSpec() == null || mr.getSpec().machineInventoryLabels == null
        ? Map.of() : mr.getSpec().machineInventoryLabels;
    templates.forEach((key, template) -> render(templater, template, current.get(key)).ifPresent(v -> out.put(key, v)));
    String prefix = prefix(mr);
    request.labels().forEach((key, template) ->
        render(templater, template, current.get(prefix + key)).ifPresent(v -> out.put(prefix + key, v)));
    return out;
  }

  /** A Random label keeps the value it already has: it names the machine, it must not churn. */
  private static Optional<String> render(Templater templater, String template, String currentValue) {
    if (Templater.isRandom(template) && currentValue != null && !currentValue.isEmpty()) {
      return Optional.of(currentValue);
    }
    try {
      return Optional.of(Names.labelValue(templater.fill(template)));
    } catch (Templater.TemplateException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> annotations(MachineRegistration mr, RegistrationRequest request,
      Templater templater) {
    Map<String, String> out = new HashMap<>();
    Map<String, String> templates = mr.getSpec() == null || mr.getSpec().machineInventoryAnnotations == null
        ? Map.of() : mr.getSpec().machineInventoryAnnotations;
    templates.forEach((key, template) -> {
      try {
        out.put(key, templater.fill(template));
      } catch (Templater.TemplateException e) {
        // skipped, as the real operator does for unresolvable values
      }
    });
    String prefix = prefix(mr);
    request.annotations().forEach((key, value) -> out.put(prefix + clean(key), clean(value)));
    if (ResetPlan.enabled(mr)) out.put(ResetPlan.RESETTABLE_ANNOTATION, "true");
    return out;
  }

  /** {@code labelPrefix} + "/", the default prefix when unset, nothing for "-". */
  static String prefix(MachineRegistration mr) {
    String prefix = mr.getSpec() == null ? null : mr.getSpec().labelPrefix;
    if (prefix == null || prefix.isEmpty()) prefix = Elemental.DEFAULT_LABEL_PREFIX;
    return "-".equals(prefix) ? "" : prefix + "/";
  }

  /** Client-supplied text goes into the cluster without line breaks. */
  private static String clean(String text) {
    return text == null ? "" : text.replace("\n", "").replace("\r", "");
  }

  /** A registration the operator turns down; the message goes back to the machine. */
  public static final class RegistrationRefused extends Exception {
    public RegistrationRefused(String message, Throwable cause) {
      super(message, cause);
    }

    public RegistrationRefused(String message) {
      super(message);
    }
  }
}
