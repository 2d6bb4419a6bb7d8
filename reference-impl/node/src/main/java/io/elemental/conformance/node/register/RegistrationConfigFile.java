package io.elemental.conformance.node.register;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.v1beta1.Config;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The register client's configuration ({@code /oem/registration/config.yaml}): the YAML the
 * registration URL serves, baked into the seed image.
 */
public final class RegistrationConfigFile {
  private static final YAMLMapper YAML = (YAMLMapper) new YAMLMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RegistrationConfigFile() {}

  public static RegistrationConfig read(Path file) throws RegistrationException {
    if (!Files.isReadable(file)) {
      throw new RegistrationException("no registration config at " + file
          + ": boot the machine from a seed image of a MachineRegistration");
    }
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new RegistrationException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static RegistrationConfig parse(String yaml) throws RegistrationException {
    try {
      Config config = YAML.readValue(yaml, Config.class);
      if (config == null || config.elemental == null || config.elemental.registration == null
          || config.elemental.registration.url == null || config.elemental.registration.url.isBlank()) {
        throw new RegistrationException("the registration config has no elemental.registration.url");
      }
      return config.elemental.registration;
    } catch (IOException e) {
      throw new RegistrationException("the registration config is not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
