package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** One OS version a channel offers: a container image to upgrade to, or an ISO to boot. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class ManagedOSVersion extends CustomResource<ManagedOSVersion.Spec, Void> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public String version;
    /** {@code container} or {@code iso}. */
    public String type;
    /** {@code upgradeImage} (container) or {@code uri} (iso), and {@code displayName}. */
    @PreserveUnknownFields
    public ObjectNode metadata;
  }
}
