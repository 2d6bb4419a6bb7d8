package io.elemental.conformance.fakerancher;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Rancher's provisioning does for a {@code provisioning.cattle.io/v1} Cluster whose machine pools are
 * Elemental's: a real controller (fabric8 informers, one work queue), not step code.
 *
 * <p>For each pool of {@code spec.rkeConfig.machinePools[]}, {@code quantity} CAPI Machines named
 * {@code <cluster>-<pool>-<n>} (n from 1; scaling down deletes the highest-numbered), each owned by the
 * Cluster; per Machine, as Rancher's CAPI providers do:
 * <ul>
 *   <li>its infrastructure object, a MachineInventorySelector named as the Machine, made from the pool's
 *       MachineInventorySelectorTemplate's {@code spec.template} and controlled by the Machine;</li>
 *   <li>its machine-plan Secret ({@code <machine>-machine-plan}, type {@code rke.cattle.io/machine-plan})
 *       holding the plan Rancher's system agent applies ({@link MachinePlan}), with a ServiceAccount whose token
 *       may read and write that Secret only;</li>
 *   <li>its bootstrap data Secret ({@code <machine>-machine-bootstrap}, type {@code rke.cattle.io/bootstrap},
 *       key {@code value}: {@link BootstrapScript}), named in the Machine's {@code spec.bootstrap.dataSecretName}
 *       once the agent's token exists.</li>
 * </ul>
 * The Machine's status follows its selector (infrastructureReady, addresses, phase); the Cluster is
 * {@code Ready} once it has every Machine its pools ask for and every one's selector is Ready. Deleting the
 * Cluster deletes its Machines, and theirs everything above, through owner references (Kubernetes' garbage
 * collector), as Rancher's do.
 */
public final class ClusterProvisioning implements AutoCloseable {
  public static final ResourceDefinitionContext CLUSTERS = context("provisioning.cattle.io", "v1", "Cluster",
      "clusters");
  public static final ResourceDefinitionContext MACHINES = context("cluster.x-k8s.io", "v1beta1", "Machine",
      "machines");
  public static final ResourceDefinitionContext SELECTORS = context("elemental.cattle.io", "v1beta1",
      "MachineInventorySelector", "machineinventoryselectors");
  public static final ResourceDefinitionContext TEMPLATES = context("elemental.cattle.io", "v1beta1",
      "MachineInventorySelectorTemplate", "machineinventoryselectortemplates");

  public static final String CLUSTER_NAME_LABEL = "cluster.x-k8s.io/cluster-name";
  public static final String POOL_LABEL = "rke.cattle.io/rke-machine-pool-name";
  public static final String MACHINE_LABEL = "rke.cattle.io/machine-name";
  public static final String BOOTSTRAP_SECRET_TYPE = "rke.cattle.io/bootstrap";
  public static final String MACHINE_PLAN_SECRET_TYPE = "rke.cattle.io/machine-plan";
  public static final String BOOTSTRAP_SUFFIX = "-machine-bootstrap";
  public static final String MACHINE_PLAN_SUFFIX = "-machine-plan";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterProvisioning.class);
  private static final String FIELD_MANAGER = "fake-rancher";
  private static final long RECHECK_MILLIS = 500;

  private final KubernetesClient client;
  private final FakeRancher rancher;
  private final ScheduledExecutorService queue = Executors.newSingleThreadScheduledExecutor(
      new DaemonThreads("fake-rancher-provisioning"));
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<GenericKubernetesResource> clusters;
  private SharedIndexInformer<GenericKubernetesResource> machines;
  private volatile boolean closed;

  ClusterProvisioning(KubernetesClient client, FakeRancher rancher) {
    this.client = client;
    this.rancher = rancher;
  }

  /** Starts the informers (clusters, machines, selectors, templates, the agents' token Secrets) and the queue. */
  ClusterProvisioning start() {
    clusters = client.genericKubernetesResources(CLUSTERS).inAnyNamespace().inform(handler(this::key), 0);
    machines = client.genericKubernetesResources(MACHINES).inAnyNamespace().inform(handler(this::clusterOf), 0);
    informers.add(clusters);
    informers.add(machines);
    // A selector changing (adopted, Ready) changes its Machine's and its Cluster's status.
    informers.add(client.genericKubernetesResources(SELECTORS).inAnyNamespace().inform(handler(selector ->
        Optional.ofNullable(machines.getStore().getByKey(key(selector))).map(this::clusterOf).orElse(null)), 0));
    // A template appearing lets waiting Machines get their selectors.
    informers.add(client.genericKubernetesResources(TEMPLATES).inAnyNamespace().inform(
        new Handler<>(template -> clusters.getStore().list().stream()
            .filter(c -> c.getMetadata().getNamespace().equals(template.getMetadata().getNamespace()))
            .forEach(c -> enqueue(key(c)))), 0));
    // The token controller filling an agent's token lets its bootstrap Secret be written.
    informers.add(client.secrets().inAnyNamespace().withLabel(CLUSTER_NAME_LABEL).inform(
        new Handler<Secret>(secret -> enqueue(secret.getMetadata().getNamespace() + "/"
            + secret.getMetadata().getLabels().get(CLUSTER_NAME_LABEL))), 0));
    clusters.getStore().list().forEach(c -> enqueue(key(c)));
    LOG.info("fake Rancher's provisioning started: Clusters, Machines, MachineInventorySelectors");
    return this;
  }

  @Override
  public void close() {
    closed = true;
    informers.forEach(SharedIndexInformer::close);
    queue.shutdownNow();
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(Function<GenericKubernetesResource, String> keyOf) {
    return new Handler<>(r -> {
      String key = keyOf.apply(r);
      if (key != null) enqueue(key);
    });
  }

  private void enqueue(String clusterKey) {
    if (closed || !pending.add(clusterKey)) return;
    queue.execute(() -> run(clusterKey));
  }

  private void enqueueLater(String clusterKey) {
    if (closed) return;
    queue.schedule(() -> enqueue(clusterKey), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void run(String clusterKey) {
    pending.remove(clusterKey);
    try {
      if (!reconcile(clusterKey)) enqueueLater(clusterKey);
    } catch (RuntimeException e) {
      if (closed) return;
      if (e instanceof KubernetesClientException k && k.getCode() == 403 && String.valueOf(k.getMessage())
          .contains("being terminated")) {
        return; // its namespace is going, and the Cluster with it
      }
      LOG.info("fake Rancher: Cluster {} not reconciled ({}); again shortly", clusterKey, e.getMessage());
      LOG.debug("reconcile of {}", clusterKey, e);
      enqueueLater(clusterKey);
    }
  }

  /** One pass over a Cluster; false when something is awaited that no watch announces. */
  private boolean reconcile(String clusterKey) {
    String namespace = clusterKey.substring(0, clusterKey.indexOf('/'));
    String name = clusterKey.substring(clusterKey.indexOf('/') + 1);
    GenericKubernetesResource cluster = client.genericKubernetesResources(CLUSTERS).inNamespace(namespace)
        .withName(name).get();
    // Gone or going: its Machines go with it (owner references), and everything of theirs with them.
    if (cluster == null || cluster.getMetadata().getDeletionTimestamp() != null) return true;
    // A namespace being deleted takes the Machines before the Cluster: nothing is to be made again there.
    var ns = client.namespaces().withName(namespace).get();
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) return true;

    List<Pool> pools = pools(cluster);
    List<GenericKubernetesResource> existing = client.genericKubernetesResources(MACHINES).inNamespace(namespace)
        .withLabel(CLUSTER_NAME_LABEL, name).list().getItems().stream()
        .filter(m -> m.getMetadata().getDeletionTimestamp() == null).toList();
    boolean settled = true;
    List<GenericKubernetesResource> kept = new ArrayList<>();
    for (GenericKubernetesResource machine : existing) {
      String pool = labels(machine).get(POOL_LABEL);
      if (pools.stream().noneMatch(p -> p.name().equals(pool))) {
        LOG.info("fake Rancher: pool {} of Cluster {} removed: deleting Machine {}", pool, clusterKey,
            machine.getMetadata().getName());
        client.resource(machine).delete();
      } else {
        kept.add(machine);
      }
    }
    List<String> notReady = new ArrayList<>();
    int wanted = 0;
    int have = 0;
    for (Pool pool : pools) {
      wanted += pool.quantity();
      List<GenericKubernetesResource> mine = new ArrayList<>(kept.stream()
          .filter(m -> pool.name().equals(labels(m).get(POOL_LABEL)))
          .sorted(Comparator.comparingInt(m -> index(m.getMetadata().getName()))).toList());
      while (mine.size() > pool.quantity()) {
        GenericKubernetesResource highest = mine.remove(mine.size() - 1);
        LOG.info("fake Rancher: pool {} of Cluster {} scaled to {}: deleting Machine {}", pool.name(), clusterKey,
            pool.quantity(), highest.getMetadata().getName());
        client.resource(highest).delete();
      }
      for (int n = 1; mine.size() < pool.quantity(); n++) {
        String machineName = name + "-" + pool.name() + "-" + n;
        if (mine.stream().anyMatch(m -> m.getMetadata().getName().equals(machineName))) continue;
        GenericKubernetesResource created = createMachine(cluster, pool, machineName);
        if (created == null) {
          // The name is taken by a Machine still being deleted: wait for it to go.
          settled = false;
          break;
        }
        mine.add(created);
      }
      for (GenericKubernetesResource machine : mine) {
        have++;
        MachineState state = ensureMachine(cluster, pool, machine);
        if (!state.ready()) notReady.add(machine.getMetadata().getName() + ": " + state.message());
        settled &= state.settled();
      }
    }
    writeClusterStatus(cluster, wanted, have, notReady);
    return settled;
  }

  private GenericKubernetesResource createMachine(GenericKubernetesResource cluster, Pool pool, String machineName) {
    String namespace = cluster.getMetadata().getNamespace();
    GenericKubernetesResource machine = new GenericKubernetesResource();
    machine.setApiVersion("cluster.x-k8s.io/v1beta1");
    machine.setKind("Machine");
    machine.setMetadata(new ObjectMeta());
    machine.getMetadata().setName(machineName);
    machine.getMetadata().setNamespace(namespace);
    machine.getMetadata().setLabels(new HashMap<>(Map.of(CLUSTER_NAME_LABEL, cluster.getMetadata().getName(),
        POOL_LABEL, pool.name(), MACHINE_LABEL, machineName)));
    machine.getMetadata().setOwnerReferences(List.of(controllerRef(cluster)));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("clusterName", cluster.getMetadata().getName());
    spec.put("bootstrap", new LinkedHashMap<>());
    spec.put("infrastructureRef", Map.of("apiVersion", "elemental.cattle.io/v1beta1",
        "kind", "MachineInventorySelector", "name", machineName, "namespace", namespace));
    machine.setAdditionalProperty("spec", spec);
    try {
      GenericKubernetesResource created = client.genericKubernetesResources(MACHINES).inNamespace(namespace)
          .resource(machine).create();
      LOG.info("fake Rancher: Machine {}/{} created for pool {}", namespace, machineName, pool.name());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return null;
      throw e;
    }
  }

  /** The Machine's selector, agent access, machine plan and bootstrap data; its status from its selector. */
  @SuppressWarnings("unchecked")
  private MachineState ensureMachine(GenericKubernetesResource cluster, Pool pool, GenericKubernetesResource machine) {
    String namespace = machine.getMetadata().getNamespace();
    String machineName = machine.getMetadata().getName();
    OwnerReference owner = controllerRef(machine);
    boolean settled = true;

    GenericKubernetesResource selector = client.genericKubernetesResources(SELECTORS).inNamespace(namespace)
        .withName(machineName).get();
    String waiting = null;
    if (selector == null) {
      GenericKubernetesResource template = client.genericKubernetesResources(TEMPLATES).inNamespace(namespace)
          .withName(pool.templateName()).get();
      if (template == null || !"MachineInventorySelectorTemplate".equals(pool.templateKind())) {
        waiting = "MachineInventorySelectorTemplate " + namespace + "/" + pool.templateName() + " not found";
      } else {
        selector = client.genericKubernetesResources(SELECTORS).inNamespace(namespace)
            .resource(selectorFrom(template, machineName, owner)).create();
        LOG.info("fake Rancher: MachineInventorySelector {}/{} made from template {}", namespace, machineName,
            pool.templateName());
      }
    }

    String planSecret = machineName + MACHINE_PLAN_SUFFIX;
    ensureAgentAccess(cluster, machine, owner, planSecret);
    if (client.secrets().inNamespace(namespace).withName(planSecret).get() == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withNewMetadata().withName(planSecret).withNamespace(namespace)
              .withLabels(Map.of(CLUSTER_NAME_LABEL, cluster.getMetadata().getName(), MACHINE_LABEL, machineName))
              .withOwnerReferences(owner).endMetadata()
          .withType(MACHINE_PLAN_SECRET_TYPE)
          .withData(Map.of("plan", Base64.getEncoder().encodeToString(MachinePlan.bytes(cluster, machineName))))
          .build()).create();
    }

    Map<String, Object> spec = (Map<String, Object>) machine.getAdditionalProperties().get("spec");
    Map<String, Object> bootstrap = spec == null ? null : (Map<String, Object>) spec.get("bootstrap");
    String bootstrapSecret = machineName + BOOTSTRAP_SUFFIX;
    if (bootstrap == null || bootstrap.get("dataSecretName") == null) {
      Optional<String> token = agentToken(namespace, planSecret);
      if (token.isEmpty()) {
        settled = false;
      } else {
        String script = BootstrapScript.render(new BootstrapScript.Connection(rancher.setting("server-url"),
            rancher.setting("cacerts"), token.get(), namespace, planSecret), cluster.getMetadata().getName(),
            machineName);
        client.secrets().inNamespace(namespace).resource(new SecretBuilder()
            .withNewMetadata().withName(bootstrapSecret).withNamespace(namespace)
                .withLabels(Map.of(CLUSTER_NAME_LABEL, cluster.getMetadata().getName(), MACHINE_LABEL, machineName))
                .withOwnerReferences(owner).endMetadata()
            .withType(BOOTSTRAP_SECRET_TYPE)
            .withData(Map.of("value", Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))))
            .build()).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        client.genericKubernetesResources(MACHINES).inNamespace(namespace).withName(machineName).edit(m -> {
          Map<String, Object> s = (Map<String, Object>) m.getAdditionalProperties().get("spec");
          Map<String, Object> b = new LinkedHashMap<>((Map<String, Object>) s.getOrDefault("bootstrap", Map.of()));
          b.put("dataSecretName", bootstrapSecret);
          s.put("bootstrap", b);
          return m;
        });
        bootstrap = Map.of("dataSecretName", bootstrapSecret);
      }
    }

    Map<String, Object> selectorStatus = selector == null ? Map.of()
        : (Map<String, Object>) selector.getAdditionalProperties().getOrDefault("status", Map.of());
    Map<String, Object> readyCondition = readyCondition(selectorStatus);
    boolean ready = Boolean.TRUE.equals(selectorStatus.get("ready")) && readyCondition != null
        && "True".equals(readyCondition.get("status"));
    String message = waiting != null ? waiting
        : selector == null ? "no MachineInventorySelector yet"
        : ready ? "MachineInventorySelector " + machineName + " is Ready"
        : "MachineInventorySelector " + machineName + " is not Ready"
            + (readyCondition == null ? "" : " (" + readyCondition.get("reason")
                + (Objects.toString(readyCondition.get("message"), "").isEmpty() ? ""
                    : ": " + readyCondition.get("message")) + ")");
    writeMachineStatus(machine, bootstrap != null && bootstrap.get("dataSecretName") != null, ready, message,
        selectorStatus.get("addresses"));
    return new MachineState(ready, message, settled);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readyCondition(Map<String, Object> status) {
    Object conditions = status.get("conditions");
    if (!(conditions instanceof List)) return null;
    return ((List<Object>) conditions).stream().filter(c -> c instanceof Map)
        .map(c -> (Map<String, Object>) c).filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(null);
  }

  /** The selector, as Rancher's Elemental machine provider stamps it from the template. */
  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource selectorFrom(GenericKubernetesResource template, String name,
      OwnerReference machine) {
    Map<String, Object> spec = (Map<String, Object>) template.getAdditionalProperties().getOrDefault("spec", Map.of());
    Map<String, Object> inner = (Map<String, Object>) spec.getOrDefault("template", Map.of());
    Map<String, Object> metadata = (Map<String, Object>) inner.getOrDefault("metadata", Map.of());
    GenericKubernetesResource selector = new GenericKubernetesResource();
    selector.setApiVersion("elemental.cattle.io/v1beta1");
    selector.setKind("MachineInventorySelector");
    selector.setMetadata(new ObjectMeta());
    selector.getMetadata().setName(name);
    selector.getMetadata().setNamespace(template.getMetadata().getNamespace());
    if (metadata.get("labels") instanceof Map) {
      selector.getMetadata().setLabels(new HashMap<>((Map<String, String>) metadata.get("labels")));
    }
    if (metadata.get("annotations") instanceof Map) {
      selector.getMetadata().setAnnotations(new HashMap<>((Map<String, String>) metadata.get("annotations")));
    }
    selector.getMetadata().setOwnerReferences(List.of(machine));
    selector.setAdditionalProperty("spec", inner.getOrDefault("spec", Map.of()));
    return selector;
  }

  /** A ServiceAccount per Machine whose token may read and write that Machine's plan Secret, and nothing else. */
  private void ensureAgentAccess(GenericKubernetesResource cluster, GenericKubernetesResource machine,
      OwnerReference owner, String planSecret) {
    String namespace = machine.getMetadata().getNamespace();
    Map<String, String> labels = Map.of(CLUSTER_NAME_LABEL, cluster.getMetadata().getName(),
        MACHINE_LABEL, machine.getMetadata().getName());
    if (client.secrets().inNamespace(namespace).withName(planSecret + "-token").get() != null) return;
    apply(new ServiceAccountBuilder().withNewMetadata().withName(planSecret).withNamespace(namespace)
        .withLabels(labels).withOwnerReferences(owner).endMetadata().build());
    apply(new RoleBuilder().withNewMetadata().withName(planSecret).withNamespace(namespace).withLabels(labels)
        .withOwnerReferences(owner).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withResourceNames(planSecret)
            .withVerbs("get", "list", "watch", "update", "patch").build()).build());
    apply(new RoleBindingBuilder().withNewMetadata().withName(planSecret).withNamespace(namespace)
        .withLabels(labels).withOwnerReferences(owner).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", planSecret)
        .addNewSubject().withKind("ServiceAccount").withName(planSecret).withNamespace(namespace).endSubject()
        .build());
    apply(new SecretBuilder().withNewMetadata().withName(planSecret + "-token").withNamespace(namespace)
        .withLabels(labels).withAnnotations(Map.of("kubernetes.io/service-account.name", planSecret))
        .withOwnerReferences(owner).endMetadata().withType("kubernetes.io/service-account-token").build());
  }

  private Optional<String> agentToken(String namespace, String planSecret) {
    Secret token = client.secrets().inNamespace(namespace).withName(planSecret + "-token").get();
    if (token == null || token.getData() == null || token.getData().get("token") == null) return Optional.empty();
    return Optional.of(new String(Base64.getDecoder().decode(token.getData().get("token")), StandardCharsets.UTF_8));
  }

  private void apply(HasMetadata object) {
    client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @SuppressWarnings("unchecked")
  private void writeMachineStatus(GenericKubernetesResource machine, boolean bootstrapReady, boolean ready,
      String message, Object addresses) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("bootstrapReady", bootstrapReady);
    status.put("infrastructureReady", ready);
    status.put("phase", ready ? "Provisioned" : "Provisioning");
    if (addresses != null) status.put("addresses", addresses);
    status.put("conditions", List.of(condition("InfrastructureReady", ready, ready ? "" : "WaitingForInfrastructure",
        message)));
    Map<String, Object> current = (Map<String, Object>) machine.getAdditionalProperties().get("status");
    if (sameIgnoringTimes(current, status)) return;
    client.genericKubernetesResources(MACHINES).inNamespace(machine.getMetadata().getNamespace())
        .withName(machine.getMetadata().getName()).editStatus(m -> {
          m.setAdditionalProperty("status", status);
          return m;
        });
  }

  @SuppressWarnings("unchecked")
  private void writeClusterStatus(GenericKubernetesResource cluster, int wanted, int have, List<String> notReady) {
    boolean ready = have == wanted && notReady.isEmpty();
    String message = ready ? "" : have < wanted ? "waiting for " + (wanted - have) + " more Machine(s); "
        + String.join("; ", notReady) : "waiting for Machine " + String.join("; Machine ", notReady);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("clusterName", cluster.getMetadata().getName());
    status.put("ready", ready);
    status.put("observedGeneration", cluster.getMetadata().getGeneration());
    status.put("conditions", List.of(condition("Ready", ready, ready ? "" : "Waiting", message)));
    Map<String, Object> current = (Map<String, Object>) cluster.getAdditionalProperties().get("status");
    if (sameIgnoringTimes(current, status)) return;
    client.genericKubernetesResources(CLUSTERS).inNamespace(cluster.getMetadata().getNamespace())
        .withName(cluster.getMetadata().getName()).editStatus(c -> {
          c.setAdditionalProperty("status", status);
          return c;
        });
    if (ready != Boolean.TRUE.equals(current == null ? null : current.get("ready"))) {
      LOG.info("fake Rancher: Cluster {}/{} {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
          ready ? "Ready" : "not Ready: " + message);
    }
  }

  private static Map<String, Object> condition(String type, boolean status, String reason, String message) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", type);
    condition.put("status", status ? "True" : "False");
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastUpdateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return condition;
  }

  @SuppressWarnings("unchecked")
  private static boolean sameIgnoringTimes(Map<String, Object> current, Map<String, Object> next) {
    if (current == null) return false;
    Map<String, Object> a = new LinkedHashMap<>(current);
    Map<String, Object> b = new LinkedHashMap<>(next);
    for (Map<String, Object> m : List.of(a, b)) {
      Object conditions = m.get("conditions");
      if (conditions instanceof List) {
        m.put("conditions", ((List<Object>) conditions).stream().map(c -> {
          Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) c);
          copy.remove("lastUpdateTime");
          return copy;
        }).toList());
      }
    }
    return a.toString().equals(b.toString());
  }

  @SuppressWarnings("unchecked")
  private static List<Pool> pools(GenericKubernetesResource cluster) {
    Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().getOrDefault("spec", Map.of());
    Map<String, Object> rke = (Map<String, Object>) spec.getOrDefault("rkeConfig", Map.of());
    List<Pool> pools = new ArrayList<>();
    for (Object o : (List<Object>) rke.getOrDefault("machinePools", List.of())) {
      Map<String, Object> pool = (Map<String, Object>) o;
      Map<String, Object> ref = (Map<String, Object>) pool.getOrDefault("machineConfigRef", Map.of());
      Object quantity = pool.get("quantity");
      pools.add(new Pool(pool.get("name").toString(), quantity == null ? 1 : ((Number) quantity).intValue(),
          Objects.toString(ref.get("kind"), ""), Objects.toString(ref.get("name"), "")));
    }
    return pools;
  }

  private static int index(String machineName) {
    try {
      return Integer.parseInt(machineName.substring(machineName.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static Map<String, String> labels(HasMetadata object) {
    return Optional.ofNullable(object.getMetadata().getLabels()).orElse(Map.of());
  }

  private static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  private String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private String clusterOf(GenericKubernetesResource machine) {
    String cluster = labels(machine).get(CLUSTER_NAME_LABEL);
    return cluster == null ? null : machine.getMetadata().getNamespace() + "/" + cluster;
  }

  private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }

  record Pool(String name, int quantity, String templateKind, String templateName) {}

  record MachineState(boolean ready, String message, boolean settled) {}

  /** Every add, update and delete of a watched object calls {@code then}. */
  private static final class Handler<T> implements ResourceEventHandler<T> {
    private final java.util.function.Consumer<T> then;

    Handler(java.util.function.Consumer<T> then) {
      this.then = then;
    }

    @Override
    public void onAdd(T obj) {
      then.accept(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      then.accept(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      then.accept(obj);
    }
  }
}
