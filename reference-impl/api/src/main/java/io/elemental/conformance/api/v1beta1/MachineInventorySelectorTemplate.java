package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** What Rancher's machine pools reference: a template stamped out as MachineInventorySelectors. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class MachineInventorySelectorTemplate
    extends CustomResource<MachineInventorySelectorTemplate.Spec, Void> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public SelectorTemplate template;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SelectorTemplate {
    public ObjectMeta metadata;
    public MachineInventorySelector.Spec spec;
  }
}
