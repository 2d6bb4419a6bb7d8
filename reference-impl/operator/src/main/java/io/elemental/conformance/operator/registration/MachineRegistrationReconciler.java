package io.elemental.conformance.operator.registration;

import static io.elemental.conformance.api.v1beta1.Elemental.READY_CONDITION;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.Elemental.RegistrationReason;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MachineRegistration, as ELEMENTAL.md §2 describes it: a token (static or random), the
 * registration URL under Rancher's {@code server-url}, the RBAC identity for its machines,
 * and a Ready condition whose reason says what is missing.
 *
 * <p>Where the real operator is silent, this one decides: of two registrations claiming the
 * same token, the one created first keeps it and the later one is refused with
 * {@code DuplicateToken}; when the first goes away, the later one is reconciled again.
 */
@ControllerConfiguration(name = "machineregistration")
public class MachineRegistrationReconciler implements Reconciler<MachineRegistration> {
  private static final Logger LOG = LoggerFactory.getLogger(MachineRegistrationReconciler.class);
  private static final String MANAGED_SELECTOR = Elemental.MANAGED_LABEL + "=true";
  private static final java.time.Duration DUPLICATE_RECHECK = java.time.Duration.ofSeconds(5);

  private final RancherSettings settings;
  private final RegistrationRbac rbac;
  private volatile IndexerResourceCache<MachineRegistration> registrations;

  public MachineRegistrationReconciler(RancherSettings settings, RegistrationRbac rbac) {
    this.settings = settings;
    this.rbac = rbac;
  }

  @Override
  public UpdateControl<MachineRegistration> reconcile(MachineRegistration mr, Context<MachineRegistration> context) {
    MachineRegistration.Status status = statusOf(mr);
    String token = RegistrationTokens.current(mr).orElseGet(RegistrationTokens::random);
    status.registrationToken = token;

    Optional<MachineRegistration> holder = RegistrationTokens.earlierHolder(token, mr, registrations.list());
    if (holder.isPresent()) {
      status.registrationURL = null;
      // The holder's deletion also triggers a reconcile, but this registration's cache may still
      // show the holder then; look again a little later rather than stay refused.
      return notReady(mr, RegistrationReason.DUPLICATE_TOKEN, "token is already used by MachineRegistration "
          + holder.get().getMetadata().getNamespace() + "/" + holder.get().getMetadata().getName())
          .rescheduleAfter(DUPLICATE_RECHECK);
    }

    Optional<String> serverUrl = settings.serverUrl();
    if (serverUrl.isEmpty()) {
      status.registrationURL = null;
      return notReady(mr, RegistrationReason.MISSING_TOKEN_OR_SERVER_URL,
          "Rancher setting " + RancherSettings.SERVER_URL + " is not set");
    }
    status.registrationURL = serverUrl.get() + Elemental.REGISTRATION_PATH + token;
    status.serviceAccountRef = rbac.apply(mr);
    Conditions.set(status.conditions, mr, READY_CONDITION, true, RegistrationReason.SUCCESSFULLY_CREATED, "");
    LOG.debug("MachineRegistration {}/{} ready at {}", mr.getMetadata().getNamespace(), mr.getMetadata().getName(),
        status.registrationURL);
    return UpdateControl.patchStatus(mr);
  }

  /** RBAC objects that could not be applied: say so on the resource, and let the SDK retry. */
  @Override
  public ErrorStatusUpdateControl<MachineRegistration> updateErrorStatus(MachineRegistration mr,
      Context<MachineRegistration> context, Exception e) {
    Conditions.set(statusOf(mr).conditions, mr, READY_CONDITION, false, RegistrationReason.RBAC_CREATION_FAILURE,
        e.getMessage());
    return ErrorStatusUpdateControl.patchStatus(mr);
  }

  @Override
  public List<EventSource<?, MachineRegistration>> prepareEventSources(EventSourceContext<MachineRegistration> context) {
    registrations = context.getPrimaryCache();
    List<EventSource<?, MachineRegistration>> sources = new ArrayList<>();
    // Owned objects: deleting one brings the registration back to re-create it.
    for (Class<? extends HasMetadata> owned : List.of(ServiceAccount.class, Role.class, RoleBinding.class, Secret.class)) {
      sources.add(ownedSource(owned, context));
    }
    // Rancher's server-url appearing or changing re-renders every registration URL.
    sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(new GroupVersionKind(RancherSettings.GROUP, RancherSettings.VERSION, RancherSettings.KIND),
            MachineRegistration.class)
        .withName("rancher-settings")
        .withSecondaryToPrimaryMapper(setting -> RancherSettings.SERVER_URL.equals(setting.getMetadata().getName())
            ? allRegistrations() : Set.of())
        .build(), context));
    // A registration that goes away may free its token for a later one refused as a duplicate.
    sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
        .from(MachineRegistration.class, MachineRegistration.class)
        .withName("token-claims")
        .withSecondaryToPrimaryMapper(this::sameTokenClaimants)
        .build(), context));
    return sources;
  }

  private <R extends HasMetadata> EventSource<?, MachineRegistration> ownedSource(Class<R> type,
      EventSourceContext<MachineRegistration> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, MachineRegistration.class)
        .withName("owned-" + HasMetadata.getPlural(type))
        .withLabelSelector(MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MachineRegistration.class))
        .build(), context);
  }

  private Set<ResourceID> allRegistrations() {
    return registrations.list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private Set<ResourceID> sameTokenClaimants(MachineRegistration changed) {
    Optional<String> token = RegistrationTokens.current(changed);
    if (token.isEmpty()) return Set.of();
    return registrations.list()
        .filter(other -> !other.getMetadata().getUid().equals(changed.getMetadata().getUid()))
        .filter(other -> RegistrationTokens.current(other).equals(token))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static UpdateControl<MachineRegistration> notReady(MachineRegistration mr, String reason, String message) {
    LOG.info("MachineRegistration {}/{} not ready: {} ({})", mr.getMetadata().getNamespace(),
        mr.getMetadata().getName(), reason, message);
    Conditions.set(mr.getStatus().conditions, mr, READY_CONDITION, false, reason, message);
    return UpdateControl.patchStatus(mr);
  }

  private static MachineRegistration.Status statusOf(MachineRegistration mr) {
    if (mr.getStatus() == null) {
      mr.setStatus(new MachineRegistration.Status());
    }
    return mr.getStatus();
  }
}
