package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
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
    @Default("iso")
    public String type;
    public String size;
    /** Minutes the built image is served for; 0 keeps it. */
    @Default("60")
    public Integer cleanupAfterMinutes;
    /** Set to true to build again (for instance after the lifetime elapsed); the operator resets it to false. */
    public Boolean retriggerBuild;
    @JsonProperty("cloud-config")
    @PreserveUnknownFields
    public ObjectNode cloudConfig;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Status {
    public List<Condition> conditions = new ArrayList<>();
    /** The token in the download URLs: identifies this seed image to the operator's endpoint. */
    public String downloadToken;
    public String downloadURL;
    public String checksumURL;
  }
}
