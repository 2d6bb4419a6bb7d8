package io.elemental.conformance.operator.seedimage;

import static io.elemental.conformance.operator.seedimage.SeedImageConditions.*;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.api.v1beta1.SeedImage;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.elemental.conformance.operator.registration.RegistrationTokens;
import io.elemental.conformance.operator.server.ClientConfigs;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SeedImage: builds a bootable ISO from {@code spec.baseImage} (an Elemental OS image in a
 * registry) carrying the registration config of {@code spec.registrationRef}, serves it under
 * Rancher's server-url at {@code /elemental/seedimage/<token>/<registration>-<time>.iso} (plus
 * {@code .sha256}) and removes it after {@code cleanupAfterMinutes}.
 *
 * <p>Conditions as the real operator sets them: {@code Ready} for what the build needs (the
 * registration), {@code SeedImageReady} for the build (ongoing, failure, success, deadline).
 * Builds run on {@link SeedImageBuilds}' own thread; the reconcile that follows a build publishes
 * its result.
 */
@ControllerConfiguration(name = "seedimage")
public class SeedImageReconciler implements Reconciler<SeedImage>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SeedImageReconciler.class);
  public static final String DOWNLOAD_PATH = "/elemental/seedimage/";
  public static final int DEFAULT_CLEANUP_AFTER_MINUTES = 60;
  private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final RancherSettings settings;
  private final Supplier<String> operatorCa;
  private final SeedImageStore store;
  private final SeedImageBuilds builds;
  private final SimpleInboundEventSource<SeedImage> buildEvents = new SimpleInboundEventSource<>("seed-image-builds");
  private volatile IndexerResourceCache<SeedImage> seedImages;
  private volatile Instant lastSweep = Instant.EPOCH;

  /**
   * @param operatorCa the registration endpoint's CA, put in the seed image when Rancher's
   *     {@code cacerts} setting is empty (as the registration endpoint does)
   * @param cacheDir image layers ({@code blobs/}) and live images by digest ({@code images/});
   *     may be shared by several operators
   * @param storeDir this operator's built ISOs, one directory per SeedImage uid; not shared
   */
  public SeedImageReconciler(KubernetesClient client, RancherSettings settings, Supplier<String> operatorCa,
      Path cacheDir, Path storeDir) {
    this.client = client;
    this.settings = settings;
    this.operatorCa = operatorCa;
    this.store = new SeedImageStore(storeDir);
    this.builds = new SeedImageBuilds(new SeedImageBuilder(cacheDir, store), this::buildEnded);
  }

  /** Serves the built ISOs; put it on the registration endpoint's server. */
  public SeedImageDownloads downloads() {
    return SeedImageDownloads.watching(client, store, this::deleted);
  }

  @Override
  public UpdateControl<SeedImage> reconcile(SeedImage seedImage, Context<SeedImage> context) {
    sweepDeleted();
    SeedImage.Status status = statusOf(seedImage);
    String uid = seedImage.getMetadata().getUid();
    SeedImage.Spec spec = seedImage.getSpec() == null ? new SeedImage.Spec() : seedImage.getSpec();

    if (Boolean.TRUE.equals(spec.retriggerBuild)) {
      // As the real operator: start over (conditions, URLs, the built ISO) and reset the flag.
      builds.forget(uid);
      store.delete(uid);
      status.conditions.clear();
      clearUrls(status);
      client.resources(SeedImage.class).inNamespace(seedImage.getMetadata().getNamespace())
          .withName(seedImage.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"retriggerBuild\":false}}");
      LOG.info("SeedImage {}: build retriggered", name(seedImage));
      return UpdateControl.patchStatus(seedImage);
    }
    if (Conditions.find(status.conditions, READY).isEmpty()) {
      set(seedImage, READY, "Unknown", RESOURCES_NOT_CREATED_YET, "");
    }

    Optional<MachineRegistration> registration = registration(seedImage);
    if (registration.isEmpty()) {
      set(seedImage, READY, "False", REGISTRATION_NOT_FOUND, "failed to set seedimage owner: MachineRegistration "
          + registrationName(seedImage) + " not found");
      return UpdateControl.patchStatus(seedImage);
    }
    MachineRegistration mr = registration.get();
    ensureOwnedBy(seedImage, mr);
    Optional<String> notReady = notReady(mr);
    if (notReady.isPresent()) {
      set(seedImage, READY, "False", POD_CREATION_FAILURE, "failed processing registration config: "
          + notReady.get());
      return UpdateControl.patchStatus(seedImage);
    }

    Optional<String> invalid = invalidSpec(spec);
    set(seedImage, READY, "True", RESOURCES_SUCCESSFULLY_CREATED, "resources created successfully");
    if (invalid.isPresent()) {
      clearUrls(status);
      set(seedImage, SEED_IMAGE_READY, "False", BUILD_FAILURE, invalid.get());
      return UpdateControl.patchStatus(seedImage);
    }

    BuildRequest request = request(seedImage, spec, mr);
    Optional<BuiltSeedImage> built = store.built(uid).filter(b -> b.fingerprint().equals(request.fingerprint()));
    if (built.isPresent()) {
      return publish(seedImage, built.get());
    }
    clearUrls(status);
    Optional<SeedImageBuilds.State> state = builds.state(uid).filter(s -> s.fingerprint().equals(request.fingerprint()));
    if (state.isPresent() && state.get().running()) {
      set(seedImage, SEED_IMAGE_READY, "False", BUILD_ONGOING, "seed image build ongoing");
    } else if (state.isPresent()) {
      set(seedImage, SEED_IMAGE_READY, "False", BUILD_FAILURE, state.get().failure());
    } else {
      // New, or its inputs changed: an ISO of other inputs must not be served any more.
      store.delete(uid);
      builds.start(request, RegistrationTokens.random());
      set(seedImage, SEED_IMAGE_READY, "False", BUILD_ONGOING, "seed image build started");
      LOG.info("SeedImage {}: build of {} started", name(seedImage), spec.baseImage);
    }
    return UpdateControl.patchStatus(seedImage);
  }

  /** A finished build: its URLs while its lifetime lasts, then the real operator's deadline state. */
  private UpdateControl<SeedImage> publish(SeedImage seedImage, BuiltSeedImage built) {
    SeedImage.Status status = seedImage.getStatus();
    String uid = seedImage.getMetadata().getUid();
    int lifetime = Optional.ofNullable(seedImage.getSpec().cleanupAfterMinutes).orElse(DEFAULT_CLEANUP_AFTER_MINUTES);
    Instant deadline = built.builtAt().plus(Duration.ofMinutes(lifetime));
    if (built.expired() || (lifetime > 0 && !Instant.now().isBefore(deadline))) {
      if (!built.expired()) {
        store.expire(uid, built);
        LOG.info("SeedImage {}: {} removed, its {} min elapsed", name(seedImage), built.fileName(), lifetime);
      }
      clearUrls(status);
      set(seedImage, SEED_IMAGE_READY, "True", BUILD_DEADLINE, "seed image deadline elapsed");
      return UpdateControl.patchStatus(seedImage);
    }
    Optional<String> serverUrl = settings.serverUrl();
    if (serverUrl.isEmpty()) {
      clearUrls(status);
      set(seedImage, SEED_IMAGE_READY, "False", EXPOSE_FAILURE,
          "failed to get Rancher Server Address: server-url is not set");
      return UpdateControl.patchStatus(seedImage);
    }
    status.downloadToken = built.token();
    status.downloadURL = serverUrl.get() + DOWNLOAD_PATH + built.token() + "/" + built.fileName();
    status.checksumURL = status.downloadURL + ".sha256";
    set(seedImage, SEED_IMAGE_READY, "True", BUILD_SUCCESS, "seed image iso available");
    UpdateControl<SeedImage> control = UpdateControl.patchStatus(seedImage);
    if (lifetime > 0) {
      control.rescheduleAfter(Duration.between(Instant.now(), deadline).plusSeconds(1));
    }
    return control;
  }

  private BuildRequest request(SeedImage seedImage, SeedImage.Spec spec, MachineRegistration mr) {
    String ca = settings.caCerts().orElseGet(operatorCa);
    String livecd = ClientConfigs.seedImage(mr, ca, spec.cloudConfig);
    Optional<String> cloudConfig = Optional.ofNullable(spec.cloudConfig).filter(c -> !c.isEmpty())
        .map(c -> "#cloud-config\n" + Serialization.asYaml(c).replaceFirst("^---\n", ""));
    String type = Optional.ofNullable(spec.type).orElse("iso");
    // The real operator's file name: <registration>-<RFC 3339 time>.<type>.
    String fileName = mr.getMetadata().getName() + "-" + RFC3339.format(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        + "." + type;
    return new BuildRequest(name(seedImage), seedImage.getMetadata().getUid(), spec.baseImage, type, livecd,
        cloudConfig, fileName);
  }

  private static Optional<String> invalidSpec(SeedImage.Spec spec) {
    if (spec.baseImage == null || spec.baseImage.isBlank()) {
      return Optional.of("spec.baseImage is empty: set it to an Elemental OS image, e.g. 127.0.0.1:5000/elemental/os:v1");
    }
    if (spec.baseImage.startsWith("http://") || spec.baseImage.startsWith("https://")) {
      return Optional.of("spec.baseImage " + spec.baseImage + " is a URL: the reference operator builds seed images"
          + " from an OS image reference (registry/repository:tag), not from a downloadable ISO");
    }
    if (spec.type != null && !spec.type.equals("iso")) {
      return Optional.of("spec.type " + spec.type + " is not supported by the reference operator: only iso");
    }
    return Optional.empty();
  }

  private Optional<MachineRegistration> registration(SeedImage seedImage) {
    if (seedImage.getSpec() == null || seedImage.getSpec().registrationRef == null
        || seedImage.getSpec().registrationRef.getName() == null) {
      return Optional.empty();
    }
    String[] ns = registrationName(seedImage).split("/", 2);
    return Optional.ofNullable(client.resources(MachineRegistration.class).inNamespace(ns[0]).withName(ns[1]).get());
  }

  /** registrationRef's namespace defaults to the SeedImage's own. */
  private static String registrationName(SeedImage seedImage) {
    var ref = seedImage.getSpec() == null ? null : seedImage.getSpec().registrationRef;
    if (ref == null || ref.getName() == null) return "(spec.registrationRef is not set)";
    String namespace = ref.getNamespace() == null || ref.getNamespace().isBlank()
        ? seedImage.getMetadata().getNamespace() : ref.getNamespace();
    return namespace + "/" + ref.getName();
  }

  private static Optional<String> notReady(MachineRegistration mr) {
    var status = mr.getStatus();
    String name = mr.getMetadata().getNamespace() + "/" + mr.getMetadata().getName();
    if (status == null || !Conditions.isTrue(status.conditions, Elemental.READY_CONDITION)) {
      String why = status == null ? "" : Conditions.find(status.conditions, Elemental.READY_CONDITION)
          .map(c -> " (" + c.getReason() + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": "
              + c.getMessage()) + ")").orElse("");
      return Optional.of("MachineRegistration " + name + " is not ready" + why);
    }
    if (status.registrationURL == null || status.registrationURL.isBlank()) {
      return Optional.of("MachineRegistration " + name + " has no registration URL yet");
    }
    return Optional.empty();
  }

  /** As the real operator: the registration owns its seed images, so deleting it deletes them. */
  private void ensureOwnedBy(SeedImage seedImage, MachineRegistration mr) {
    List<OwnerReference> owners = new ArrayList<>(Optional.ofNullable(seedImage.getMetadata().getOwnerReferences())
        .orElse(List.of()));
    if (owners.stream().anyMatch(o -> Objects.equals(o.getUid(), mr.getMetadata().getUid()))) return;
    owners.add(new OwnerReferenceBuilder().withApiVersion(Elemental.API_VERSION).withKind("MachineRegistration")
        .withName(mr.getMetadata().getName()).withUid(mr.getMetadata().getUid()).build());
    client.resources(SeedImage.class).inNamespace(seedImage.getMetadata().getNamespace())
        .withName(seedImage.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", Map.of("ownerReferences", owners))));
  }

  @Override
  public List<EventSource<?, SeedImage>> prepareEventSources(EventSourceContext<SeedImage> context) {
    seedImages = context.getPrimaryCache();
    List<EventSource<?, SeedImage>> sources = new ArrayList<>();
    sources.add(buildEvents);
    // A registration appearing, becoming ready or changing its config: its seed images follow.
    sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(MachineRegistration.class, SeedImage.class)
        .withName("seedimage-registrations")
        .withSecondaryToPrimaryMapper(this::seedImagesOf)
        .build(), context));
    // server-url makes the download URLs, cacerts goes into the image.
    sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(new GroupVersionKind(RancherSettings.GROUP, RancherSettings.VERSION, RancherSettings.KIND), SeedImage.class)
        .withName("seedimage-rancher-settings")
        .withSecondaryToPrimaryMapper(setting -> Set.of(RancherSettings.SERVER_URL, RancherSettings.CA_CERTS)
            .contains(setting.getMetadata().getName()) ? allSeedImages() : Set.of())
        .build(), context));
    return sources;
  }

  private Set<ResourceID> seedImagesOf(MachineRegistration mr) {
    String name = mr.getMetadata().getNamespace() + "/" + mr.getMetadata().getName();
    return seedImages.list().filter(si -> registrationName(si).equals(name)).map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private Set<ResourceID> allSeedImages() {
    return seedImages.list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private void buildEnded(String uid) {
    seedImages.list().filter(si -> uid.equals(si.getMetadata().getUid())).findFirst()
        .ifPresent(si -> buildEvents.propagateEvent(ResourceID.fromResource(si)));
  }

  /** A SeedImage went away: no finalizer (the real operator has none), so its build and files go now. */
  private void deleted(String uid) {
    builds.cancel(uid);
    store.delete(uid);
    LOG.info("SeedImage {} deleted: its seed image files are removed", uid);
  }

  /** Built ISOs of SeedImages that went while the operator was away (no finalizer, as the real operator has none) are removed here. */
  private void sweepDeleted() {
    if (Instant.now().isBefore(lastSweep.plus(SWEEP_INTERVAL))) return;
    lastSweep = Instant.now();
    Set<String> uids = seedImages.list().map(si -> si.getMetadata().getUid()).collect(Collectors.toSet());
    store.retainOnly(uids);
  }

  private static void set(SeedImage seedImage, String type, String status, String reason, String message) {
    List<Condition> conditions = seedImage.getStatus().conditions;
    if ("Unknown".equals(status)) {
      Conditions.find(conditions, type).ifPresent(conditions::remove);
      conditions.add(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(type).withStatus(status)
          .withReason(reason).withMessage(message)
          .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
          .withObservedGeneration(seedImage.getMetadata().getGeneration()).build());
      return;
    }
    Conditions.set(conditions, seedImage, type, "True".equals(status), reason, message);
  }

  private static void clearUrls(SeedImage.Status status) {
    status.downloadURL = null;
    status.checksumURL = null;
    status.downloadToken = null;
  }

  private static String name(SeedImage seedImage) {
    return seedImage.getMetadata().getNamespace() + "/" + seedImage.getMetadata().getName();
  }

  private static SeedImage.Status statusOf(SeedImage seedImage) {
    if (seedImage.getStatus() == null) {
      seedImage.setStatus(new SeedImage.Status());
    }
    return seedImage.getStatus();
  }

  @Override
  public void close() {
    builds.close();
  }
}
