package io.elemental.conformance.operator.upgrade;

import static io.elemental.conformance.api.v1beta1.Elemental.READY_CONDITION;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.elemental.conformance.api.v1beta1.ManagedOSVersion;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ManagedOSImage: upgrades the targeted machines by adding an {@code elemental upgrade} instruction
 * to their plan Secrets, {@code spec.concurrency} at a time, after checking that the image exists;
 * reports each machine's progress in status.
 *
 * <p>Deviations from the real operator, which turns a ManagedOSImage into a Fleet bundle of a
 * system-upgrade-controller Plan run on downstream clusters:
 * <ul>
 *   <li>Targets are the MachineInventories of the ManagedOSImage's namespace whose labels match
 *       {@code spec.nodeSelector}; {@code clusterTargets} is ignored. A missing or empty selector
 *       selects no machine here, where the real one means every node of the target clusters.
 *   <li>The upgrade runs through each machine's own system-agent plan, not a pod: {@code cordon},
 *       {@code drain}, {@code cloudConfig} and {@code upgradeContainer.image} are ignored;
 *       {@code upgradeContainer.envs} become the instruction's environment.
 *   <li>The image is checked before any machine is touched, and progress is reported in status
 *       (the real operator reports the bundle's state).
 * </ul>
 * Machines that stop being targeted keep the plan they have. Two ManagedOSImages targeting the
 * same machine replace each other's instruction: do not do that.
 */
@ControllerConfiguration(name = "managedosimage")
public class ManagedOSImageReconciler implements Reconciler<ManagedOSImage> {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedOSImageReconciler.class);
  /** How soon a missing image, an unreachable registry or a failed write is tried again. */
  static final Duration RECHECK = Duration.ofSeconds(10);

  private final ImageCheck images;
  private final PlanSecretWriter writer;
  private volatile IndexerResourceCache<ManagedOSImage> managedOSImages;
  private volatile InformerEventSource<MachineInventory, ManagedOSImage> inventories;
  private volatile InformerEventSource<Secret, ManagedOSImage> planSecrets;
  private volatile InformerEventSource<ManagedOSVersion, ManagedOSImage> versions;

  public ManagedOSImageReconciler(KubernetesClient client) {
    this(new ImageCheck(), new PlanSecretWriter(client));
  }

  ManagedOSImageReconciler(ImageCheck images, PlanSecretWriter writer) {
    this.images = images;
    this.writer = writer;
  }

  @Override
  public UpdateControl<ManagedOSImage> reconcile(ManagedOSImage resource, Context<ManagedOSImage> context) {
    ManagedOSImage.Status status = statusOf(resource);
    String namespace = resource.getMetadata().getNamespace();
    ManagedOSImage.Spec spec = resource.getSpec() == null ? new ManagedOSImage.Spec() : resource.getSpec();
    status.imageDigest = null;

    ImageSource.Choice choice = ImageSource.choose(spec, namespace,
        name -> versions.get(new ResourceID(name, namespace)));
    if (!choice.found()) {
      return notReady(resource, choice.reason(), choice.message());
    }
    ImageCheck.Result image = images.check(choice.image());
    if (!image.ok()) {
      return notReady(resource, image.reason(), image.message());
    }
    status.imageDigest = image.digest();

    LabelSelector selector = spec.nodeSelector;
    try {
      LabelSelectors.validate(selector);
    } catch (IllegalArgumentException e) {
      return notReady(resource, UpgradeReasons.INVALID_NODE_SELECTOR, e.getMessage());
    }
    List<MachineInventory> selected = inventories.list(namespace, inventory -> targeted(selector, inventory)).toList();
    List<ManagedOSImage.Machine> superseded = new ArrayList<>();
    List<Rollout.Target> targets = selected.stream()
        .filter(inventory -> newerClaim(resource, inventory).map(newer -> {
          superseded.add(new ManagedOSImage.Machine(inventory.getMetadata().getName(), MachineState.Superseded.name(),
              "upgraded by the newer ManagedOSImage " + newer));
          return false;
        }).orElse(true))
        .map(inventory -> new Rollout.Target(inventory.getMetadata().getName(),
            planSecrets.get(ResourceID.fromResource(inventory)).orElse(null)))
        .toList();
    UpgradeInstruction upgrade = UpgradeInstruction.of(choice.image(), spec.upgradeContainer);
    List<Rollout.Step> steps = Rollout.plan(targets, upgrade, Rollout.concurrency(spec.concurrency));

    List<ManagedOSImage.Machine> machines = new ArrayList<>();
    boolean writeFailed = false;
    for (Rollout.Step step : steps) {
      if (step.toWrite().isEmpty()) {
        machines.add(new ManagedOSImage.Machine(step.inventory(), step.state().name(), step.message()));
        continue;
      }
      try {
        machines.add(write(step, upgrade));
      } catch (KubernetesClientException | IllegalArgumentException e) {
        writeFailed = true;
        machines.add(new ManagedOSImage.Machine(step.inventory(), MachineState.Pending.name(),
            "could not write the upgrade into plan Secret " + namespace + "/" + step.inventory() + ": "
                + e.getMessage() + " (retrying)"));
      }
    }

    status.targeted = machines.size();
    status.upgraded = count(machines, MachineState.Upgraded);
    status.failed = count(machines, MachineState.Failed);
    if (machines.isEmpty() && !superseded.isEmpty()) {
      Conditions.set(status.conditions, resource, READY_CONDITION, true, UpgradeReasons.SUPERSEDED,
          "every machine it selects is upgraded by a newer ManagedOSImage");
    } else {
      UpgradeVerdict verdict = UpgradeVerdict.of(machines, choice.image(), !LabelSelectors.selectsAny(selector),
          namespace);
      Conditions.set(status.conditions, resource, READY_CONDITION, verdict.ready(), verdict.reason(),
          verdict.message());
    }
    machines.addAll(superseded);
    status.machines = machines;
    UpdateControl<ManagedOSImage> control = UpdateControl.patchStatus(resource);
    return writeFailed ? control.rescheduleAfter(RECHECK) : control;
  }

  /** Writes the step's Secret; the machine's state is then what the stored Secret says. */
  private ManagedOSImage.Machine write(Rollout.Step step, UpgradeInstruction upgrade) {
    Secret before = step.write();
    Optional<Secret> stored = writer.write(before, fresh -> UpgradeSecrets.desired(fresh, upgrade));
    if (stored.isEmpty()) {
      return new ManagedOSImage.Machine(step.inventory(), MachineState.Pending.name(),
          "waiting for the machine's plan Secret (it was deleted)");
    }
    if (!Objects.equals(stored.get().getMetadata().getResourceVersion(), before.getMetadata().getResourceVersion())) {
      // Our own write: the next reconcile must not read the Secret as it was before it.
      planSecrets.handleRecentResourceUpdate(ResourceID.fromResource(stored.get()), stored.get(), before);
      LOG.info("ManagedOSImage: upgrade to {} written into plan Secret {}/{}", upgrade.image(),
          stored.get().getMetadata().getNamespace(), step.inventory());
    }
    UpgradeSecrets.Progress progress = UpgradeSecrets.outcome(stored.get());
    return new ManagedOSImage.Machine(step.inventory(), progress.state().name(), progress.message());
  }

  /**
   * The newest ManagedOSImage selecting a machine owns its upgrade (creation time, then name):
   * two would otherwise replace each other's instruction in its plan forever.
   */
  private Optional<String> newerClaim(ManagedOSImage self, MachineInventory inventory) {
    if (managedOSImages == null) return Optional.empty();
    return managedOSImages.list(self.getMetadata().getNamespace())
        .filter(other -> !other.getMetadata().getName().equals(self.getMetadata().getName()))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null && isNewer(other, self))
        .filter(other -> other.getSpec() != null && selectsValidly(other.getSpec().nodeSelector, inventory))
        .map(other -> other.getMetadata().getName())
        .findFirst();
  }

  private static boolean selectsValidly(LabelSelector selector, MachineInventory inventory) {
    try {
      LabelSelectors.validate(selector);
      return targeted(selector, inventory);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isNewer(ManagedOSImage a, ManagedOSImage b) {
    int byTime = String.valueOf(a.getMetadata().getCreationTimestamp())
        .compareTo(String.valueOf(b.getMetadata().getCreationTimestamp()));
    return byTime != 0 ? byTime > 0 : a.getMetadata().getName().compareTo(b.getMetadata().getName()) > 0;
  }

  /** Inventories being deleted are on their way to a reset, not an upgrade. */
  private static boolean targeted(LabelSelector selector, MachineInventory inventory) {
    return inventory.getMetadata().getDeletionTimestamp() == null
        && LabelSelectors.matches(selector, inventory.getMetadata().getLabels());
  }

  /** Nothing is written: the image (or the selector) must be right first. Checked again, so a registry that comes back heals it. */
  private UpdateControl<ManagedOSImage> notReady(ManagedOSImage resource, String reason, String message) {
    ManagedOSImage.Status status = resource.getStatus();
    status.machines = new ArrayList<>();
    status.targeted = null;
    status.upgraded = null;
    status.failed = null;
    Conditions.set(status.conditions, resource, READY_CONDITION, false, reason, message);
    LOG.info("ManagedOSImage {}/{}: {}: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        reason, message);
    return UpdateControl.patchStatus(resource).rescheduleAfter(RECHECK);
  }

  private static int count(List<ManagedOSImage.Machine> machines, MachineState state) {
    return (int) machines.stream().filter(m -> state.name().equals(m.state)).count();
  }

  private static ManagedOSImage.Status statusOf(ManagedOSImage resource) {
    if (resource.getStatus() == null) resource.setStatus(new ManagedOSImage.Status());
    return resource.getStatus();
  }

  /**
   * Inventories (their labels decide the targets), plan Secrets (the agents' reports) and
   * ManagedOSVersions (the image) bring back the ManagedOSImages of their namespace.
   */
  @Override
  public List<EventSource<?, ManagedOSImage>> prepareEventSources(EventSourceContext<ManagedOSImage> context) {
    managedOSImages = context.getPrimaryCache();
    inventories = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(MachineInventory.class, ManagedOSImage.class)
        .withName("managedosimage-inventories")
        .withSecondaryToPrimaryMapper(this::inNamespaceOf)
        .build(), context);
    planSecrets = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Secret.class, ManagedOSImage.class)
        .withName("managedosimage-plan-secrets")
        .withLabelSelector(Elemental.MANAGED_LABEL + "=true")
        .withSecondaryToPrimaryMapper(this::inNamespaceOf)
        .build(), context);
    versions = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ManagedOSVersion.class, ManagedOSImage.class)
        .withName("managedosimage-versions")
        .withSecondaryToPrimaryMapper(version -> select(version,
            image -> image.getSpec() != null && version.getMetadata().getName().equals(image.getSpec().managedOSVersionName)))
        .build(), context);
    return List.of(inventories, planSecrets, versions);
  }

  private Set<ResourceID> inNamespaceOf(HasMetadata secondary) {
    return select(secondary, image -> true);
  }

  private Set<ResourceID> select(HasMetadata secondary, Predicate<ManagedOSImage> which) {
    String namespace = secondary.getMetadata().getNamespace();
    return managedOSImages.list(image -> Objects.equals(namespace, image.getMetadata().getNamespace()) && which.test(image))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
