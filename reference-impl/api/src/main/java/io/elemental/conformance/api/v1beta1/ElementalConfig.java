package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code config.elemental} block of a MachineRegistration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElementalConfig {
  public InstallConfig install;
  public ResetConfig reset;
  public RegistrationConfig registration;

  @JsonProperty("system-agent")
  public SystemAgentConfig systemAgent;
}
