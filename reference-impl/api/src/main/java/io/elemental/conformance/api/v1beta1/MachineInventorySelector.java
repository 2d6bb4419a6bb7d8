package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** A cluster machine waiting for an inventory: it adopts the first free one its selector matches. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class MachineInventorySelector
    extends CustomResource<MachineInventorySelector.Spec, MachineInventorySelector.Status>
    implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public LabelSelector selector;
    /** Set by Rancher's machine provider; kept opaque here. */
    public String providerID;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    public Boolean ready;
    public List<NodeAddress> addresses;
    public String bootstrapPlanChecksum;
    public LocalObjectReference machineInventoryRef;
  }
}
