package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code config.elemental.system-agent}: how the machine's agent reaches its plan Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SystemAgentConfig {
  public String url;
  public String token;
  @JsonProperty("secret-name")
  public String secretName;
  @JsonProperty("secret-namespace")
  public String secretNamespace;
  public Boolean strictTLSMode;
}
