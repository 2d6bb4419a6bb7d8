package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** An OS upgrade: which image, to which machines, how many at a time. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class ManagedOSImage
    extends CustomResource<ManagedOSImage.Spec, ManagedOSImage.Status> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public String osImage;
    public String managedOSVersionName;
    public LabelSelector nodeSelector;
    @PreserveUnknownFields
    public List<ObjectNode> clusterTargets;
    public Long concurrency;
    public Boolean cordon;
    @PreserveUnknownFields
    public ObjectNode drain;
    public UpgradeContainer upgradeContainer;
    @PreserveUnknownFields
    public ObjectNode cloudConfig;
  }

  /** Only {@code envs} is honoured: {@code FORCE}, {@code UPGRADE_RECOVERY}, {@code UPGRADE_RECOVERY_ONLY}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class UpgradeContainer {
    public String image;
    public List<EnvVar> envs;
  }

  /**
   * Progress of the upgrade. The reference operator's own (the real one reports through Fleet
   * bundles): the image's manifest digest, each targeted machine's state, and counters.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    /** Manifest digest the image resolved to when last checked. */
    public String imageDigest;
    /** One entry per targeted MachineInventory, in name order. */
    public List<Machine> machines = new ArrayList<>();
    public Integer targeted;
    public Integer upgraded;
    public Integer failed;
  }

  /** One targeted machine: {@code state} is {@code Pending}, {@code Upgrading}, {@code Upgraded} or {@code Failed}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Machine {
    public String inventory;
    public String state;
    public String message;

    public Machine() {}

    public Machine(String inventory, String state, String message) {
      this.inventory = inventory;
      this.state = state;
      this.message = message;
    }
  }
}
