package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** What a machine receives at registration: Elemental's own keys plus free-form cloud-config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Config {
  public ElementalConfig elemental;

  @JsonProperty("cloud-config")
  @PreserveUnknownFields
  public ObjectNode cloudConfig;

  @PreserveUnknownFields
  public ObjectNode network;
}
