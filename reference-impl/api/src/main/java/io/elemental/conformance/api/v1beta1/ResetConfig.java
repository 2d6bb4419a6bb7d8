package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code config.elemental.reset}: what a reset from recovery wipes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResetConfig {
  public Boolean enabled;
  @JsonProperty("reset-persistent")
  public Boolean resetPersistent;
  @JsonProperty("reset-oem")
  public Boolean resetOem;
  public Boolean reboot;
}
