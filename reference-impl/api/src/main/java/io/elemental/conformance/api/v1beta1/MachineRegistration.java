package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where machines register: a token, a URL, and the configuration handed to each machine. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class MachineRegistration
    extends CustomResource<MachineRegistration.Spec, MachineRegistration.Status> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    /** A static registration token; the operator generates a random one when absent. */
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String token;
    /** Template for the name of each MachineInventory (default {@code m-<uuid>}). */
    public String machineName;
    public Map<String, String> machineInventoryLabels;
    public Map<String, String> machineInventoryAnnotations;
    /** Prefix of the labels and annotations put on inventories; {@code -} means none. */
    public String labelPrefix;
    public Config config;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    public String registrationURL;
    public String registrationToken;
    public ObjectReference serviceAccountRef;
  }

  @Override
  protected Spec initSpec() {
    return new Spec();
  }

  @Override
  protected Status initStatus() {
    return new Status();
  }
}
