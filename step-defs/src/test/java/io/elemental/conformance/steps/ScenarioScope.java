package io.elemental.conformance.steps;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.harness.ConformanceEnvironment;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.harness.support.Waits;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One scenario's share of the world, created by picocontainer per scenario and handed to
 * every step class: its own namespaces (so scenarios never see each other's objects), where
 * each named object lives, and what must be put back afterwards.
 */
public class ScenarioScope {
  private static final String RESETTABLE = "elemental.cattle.io/resettable";
  private final ConformanceEnvironment environment = ConformanceEnvironment.shared();
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, String> namespaceOfRegistration = new HashMap<>();
  private final Map<String, String> remembered = new HashMap<>();
  private String slug = "scenario";
  private String originalServerUrl;

  void name(String scenarioName) {
    String cleaned = scenarioName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    slug = cleaned.isEmpty() ? "scenario" : cleaned.substring(0, Math.min(cleaned.length(), 40)).replaceAll("-$", "");
  }

  /** The scenario's name, made fit for namespaces and directory names. */
  public String slug() {
    return slug;
  }

  public KubernetesClient client() {
    return environment.client();
  }

  public ConformanceEnvironment environment() {
    return environment;
  }

  public Waits waits() {
    return environment.waits();
  }

  /** The scenario's own namespace, created on first use. */
  public String namespace() {
    return namespaces.isEmpty() ? newNamespace() : namespaces.get(0);
  }

  /** A second namespace, for behaviour across namespaces. */
  public String anotherNamespace() {
    namespace();
    return namespaces.size() > 1 ? namespaces.get(1) : newNamespace();
  }

  private String newNamespace() {
    String name = "spec-" + slug + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    namespaces.add(name);
    return name;
  }

  public List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  public void registrationLivesIn(String registration, String namespace) {
    namespaceOfRegistration.put(registration, namespace);
  }

  /** The namespace of a MachineRegistration this scenario created. */
  public String namespaceOf(String registration) {
    return Optional.ofNullable(namespaceOfRegistration.get(registration)).orElseThrow(() ->
        new IllegalStateException("the scenario has not created a MachineRegistration named '" + registration + "'"));
  }

  /** Something a later step compares against, e.g. the uid of an object before it was deleted. */
  public void remember(String key, String value) {
    remembered.put(key, value);
  }

  public String recall(String key) {
    return Optional.ofNullable(remembered.get(key))
        .orElseThrow(() -> new IllegalStateException("nothing remembered as '" + key + "'"));
  }

  /** Called before the first change to Rancher's server-url, so the After hook can restore it. */
  public void keepOriginalServerUrl() {
    if (originalServerUrl == null) {
      originalServerUrl = environment.rancher().setting("server-url");
    }
  }

  void cleanUp() {
    if (originalServerUrl != null) {
      environment.rancher().serverUrl(originalServerUrl);
    }
    // Machine identities are cluster-wide: their inventories must be gone before the next
    // scenario boots a machine with the same UUID. Namespaces may take their time.
    for (String namespace : namespaces) {
      // The scenario's machines are off: a resettable inventory would wait forever for its reset plan.
      for (MachineInventory inventory : client().resources(MachineInventory.class).inNamespace(namespace).list()
          .getItems()) {
        if (inventory.getMetadata().getAnnotations() != null
            && inventory.getMetadata().getAnnotations().containsKey(RESETTABLE)) {
          client().resource(inventory).edit(i -> {
            i.getMetadata().getAnnotations().remove(RESETTABLE);
            return i;
          });
        }
      }
      client().resources(MachineInventory.class).inNamespace(namespace).delete();
    }
    for (String namespace : namespaces) {
      waits().until("the MachineInventories of " + namespace + " to be deleted", Timeouts.RECONCILE,
          () -> client().resources(MachineInventory.class).inNamespace(namespace).list().getItems().isEmpty());
    }
    for (String namespace : namespaces) {
      client().namespaces().withName(namespace).delete();
    }
  }
}
