package io.elemental.conformance.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies CRDs (server-side apply, so re-running is harmless) and waits until they are served. */
public final class CrdInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);
  private static final String FIELD_MANAGER = "elemental-operator";

  private final KubernetesClient client;

  public CrdInstaller(KubernetesClient client) {
    this.client = client;
  }

  public void install(Collection<CustomResourceDefinition> crds, long timeoutSeconds) {
    long start = System.nanoTime();
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd)
          .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(CrdInstaller::isEstablished, timeoutSeconds, TimeUnit.SECONDS);
    }
    LOG.info("{} CRDs established in {} ms", crds.size(), (System.nanoTime() - start) / 1_000_000);
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
