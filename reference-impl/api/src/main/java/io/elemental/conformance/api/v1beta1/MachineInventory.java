package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** One registered machine, known by the hash of its TPM (or of its MAC / SMBIOS UUID). */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class MachineInventory
    extends CustomResource<MachineInventory.Spec, MachineInventory.Status> implements Namespaced {

  public static final String FINALIZER = "machineinventory.elemental.cattle.io";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public String tpmHash;
    public String machineHash;
    @PreserveUnknownFields
    public ObjectNode network;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    public Plan plan;
  }

  /** The machine's plan Secret and what its agent last reported about it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Plan {
    public ObjectReference secretRef;
    public String checksum;
    /** {@code Applied} or {@code Failed}. */
    public String state;
  }
}
