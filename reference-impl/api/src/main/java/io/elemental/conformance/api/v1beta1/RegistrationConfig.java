package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code config.elemental.registration}: how the register client reaches and proves itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistrationConfig {
  public String url;
  @JsonProperty("ca-cert")
  public String caCert;
  @JsonProperty("emulate-tpm")
  public Boolean emulateTpm;
  /** Seed of the emulated TPM; -1 derives a seed per machine. */
  @JsonProperty("emulated-tpm-seed")
  public Long emulatedTpmSeed;
  @JsonProperty("no-smbios")
  public Boolean noSmbios;
  /** {@code tpm} (default), {@code mac} or {@code sys-uuid}. */
  public String auth;
}
