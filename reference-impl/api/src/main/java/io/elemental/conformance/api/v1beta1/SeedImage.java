package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** A bootable installation medium (ISO or raw disk) carrying one registration's config. */
@Group(Elemental.GROUP)
@Version(Elemental.VERSION)
public class SeedImage extends CustomResource<SeedImage.Spec, SeedImage.Status> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public String baseImage;
    public ObjectReference registrationRef;
    /** {@code iso} or {@code raw}. */
    public String type;
    public String size;
    /** Default 60. */
    public Integer cleanupAfterMinutes;
    public Integer retriggerBuild;
    @JsonProperty("cloud-config")
    @PreserveUnknownFields
    public ObjectNode cloudConfig;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    public String downloadURL;
    public String checksumURL;
  }
}
