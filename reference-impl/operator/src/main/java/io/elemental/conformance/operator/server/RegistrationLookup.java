package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;

/**
 * Finds the MachineRegistration a registration URL's token belongs to, from an indexed cache. A
 * token the cache does not know as Ready is looked up on the API server before it is refused: the cache
 * trails the server (more so while its watch reconnects), and a machine booted from a registration
 * that has just become Ready must not be told it does not exist.
 */
final class RegistrationLookup implements AutoCloseable {
  private static final String BY_TOKEN = "token";

  private final KubernetesClient client;
  private final SharedIndexInformer<MachineRegistration> informer;

  RegistrationLookup(KubernetesClient client) {
    this.client = client;
    informer = client.resources(MachineRegistration.class).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(Map.of(BY_TOKEN, mr -> mr.getStatus() == null || mr.getStatus().registrationToken == null
        ? List.of() : List.of(mr.getStatus().registrationToken)));
    informer.run();
  }

  /** The one Ready registration serving {@code token}, or why there is none (an HTTP 404 body). */
  Result find(String token) {
    List<MachineRegistration> claimants = informer.getIndexer().byIndex(BY_TOKEN, token);
    List<MachineRegistration> ready = ready(claimants);
    if (ready.isEmpty()) {
      claimants = fromServer(token);
      ready = ready(claimants);
    }
    if (ready.size() == 1) {
      return new Result(ready.get(0), null);
    }
    if (ready.size() > 1) {
      return new Result(null, "MachineRegistrations " + names(ready) + " have the same registration token");
    }
    if (!claimants.isEmpty()) {
      return new Result(null, "MachineRegistration " + names(claimants) + " is not ready");
    }
    return new Result(null, "failed to find machine registration with registration token " + token);
  }

  private static List<MachineRegistration> ready(List<MachineRegistration> claimants) {
    return claimants.stream()
        .filter(mr -> Conditions.isTrue(mr.getStatus().conditions, Elemental.READY_CONDITION)).toList();
  }

  private List<MachineRegistration> fromServer(String token) {
    return client.resources(MachineRegistration.class).inAnyNamespace().list().getItems().stream()
        .filter(mr -> mr.getStatus() != null && token.equals(mr.getStatus().registrationToken)).toList();
  }

  private static String names(List<MachineRegistration> registrations) {
    return String.join(", ", registrations.stream()
        .map(mr -> mr.getMetadata().getNamespace() + "/" + mr.getMetadata().getName()).toList());
  }

  record Result(MachineRegistration registration, String notFound) {}

  @Override
  public void close() {
    informer.close();
  }
}
