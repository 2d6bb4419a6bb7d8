package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** A source of ManagedOSVersions, synchronised every {@code syncInterval}. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class ManagedOSVersionChannel
    extends CustomResource<ManagedOSVersionChannel.Spec, ManagedOSVersionChannel.Status>
    implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    /** {@code json} or {@code custom}. */
    public String type;
    @PreserveUnknownFields
    public ObjectNode options;
    /** Default {@code 1h}. */
    public String syncInterval;
    public String registry;
    public Boolean enabled;
    public Boolean deleteNoLongerInSyncVersions;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    public String lastSyncedTime;
  }
}
