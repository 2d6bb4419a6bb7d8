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

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
  }
}
