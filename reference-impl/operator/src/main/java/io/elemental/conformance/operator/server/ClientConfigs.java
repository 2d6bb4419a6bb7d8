package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.v1beta1.Config;
import io.elemental.conformance.api.v1beta1.ElementalConfig;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.api.v1beta1.SystemAgentConfig;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The YAML a machine receives: for a plain GET, how to register (url, ca-cert, TPM and auth
 * settings); at the end of a registration, also install, reset, the system agent's way to its
 * plan Secret, and the registration's cloud-config.
 *
 * <p>Differs from the real operator in one respect: cloud-config is sent as plain YAML, where
 * the real operator's encoder turns each value into a byte list (see docs/notes).
 */
public final class ClientConfigs {
  private ClientConfigs() {}

  public static String registration(MachineRegistration mr, String caCert) {
    Config config = new Config();
    config.elemental = new ElementalConfig();
    config.elemental.registration = registrationBlock(mr, caCert);
    return Serialization.asYaml(config);
  }

  /**
   * What a seed image carries as {@code livecd-cloud-config.yaml}: the registration config of a
   * plain GET, plus the SeedImage's cloud-config when it has one.
   */
  public static String seedImage(MachineRegistration mr, String caCert, com.fasterxml.jackson.databind.node.ObjectNode cloudConfig) {
    Config config = new Config();
    config.elemental = new ElementalConfig();
    config.elemental.registration = registrationBlock(mr, caCert);
    config.cloudConfig = cloudConfig == null || cloudConfig.isEmpty() ? null : cloudConfig;
    return Serialization.asYaml(config);
  }

  static String afterRegistration(MachineRegistration mr, String caCert, MachineInventory inventory,
      String agentUrl, String agentToken) {
    Config source = mr.getSpec() == null || mr.getSpec().config == null ? new Config() : mr.getSpec().config;
    Config config = new Config();
    config.elemental = new ElementalConfig();
    if (source.elemental != null) {
      config.elemental.install = source.elemental.install;
      config.elemental.reset = source.elemental.reset;
    }
    config.elemental.registration = registrationBlock(mr, caCert);
    config.elemental.systemAgent = new SystemAgentConfig();
    config.elemental.systemAgent.url = agentUrl;
    config.elemental.systemAgent.token = agentToken;
    config.elemental.systemAgent.secretName = inventory.getMetadata().getName();
    config.elemental.systemAgent.secretNamespace = inventory.getMetadata().getNamespace();
    config.cloudConfig = source.cloudConfig;
    return Serialization.asYaml(config);
  }

  private static RegistrationConfig registrationBlock(MachineRegistration mr, String caCert) {
    Config source = mr.getSpec() == null ? null : mr.getSpec().config;
    RegistrationConfig from = source == null || source.elemental == null || source.elemental.registration == null
        ? new RegistrationConfig() : source.elemental.registration;
    RegistrationConfig out = new RegistrationConfig();
    out.url = mr.getStatus().registrationURL;
    out.caCert = caCert == null || caCert.isBlank() ? null : caCert;
    out.emulateTpm = Boolean.TRUE.equals(from.emulateTpm) ? true : null;
    out.emulatedTpmSeed = from.emulatedTpmSeed == null || from.emulatedTpmSeed == 0 ? null : from.emulatedTpmSeed;
    out.noSmbios = Boolean.TRUE.equals(from.noSmbios) ? true : null;
    out.auth = from.auth;
    return out;
  }
}
