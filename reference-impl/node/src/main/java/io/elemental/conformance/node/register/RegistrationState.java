package io.elemental.conformance.node.register;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The register client's state file ({@code /oem/registration/state.yaml} on a real machine):
 * when it first registered, so a later run is an update of the same inventory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RegistrationState {
  private static final YAMLMapper YAML = new YAMLMapper();

  public String initialRegistration;
  public Boolean emulatedTPM;
  public Long emulatedTPMSeed;

  public static RegistrationState load(Path file) throws RegistrationException {
    if (!Files.exists(file)) return new RegistrationState();
    try {
      RegistrationState state = YAML.readValue(file.toFile(), RegistrationState.class);
      return state == null ? new RegistrationState() : state;
    } catch (IOException e) {
      throw new RegistrationException("state file " + file + " is not valid YAML (" + e.getMessage().lines()
          .findFirst().orElse("") + "). Fix: delete it to register as a new machine", e);
    }
  }

  /** Written to a temporary file and moved into place, so a crash never leaves half a state. */
  public void save(Path file) throws RegistrationException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".state", ".yaml");
      YAML.writeValue(temp.toFile(), this);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RegistrationException("cannot write state file " + file + ": " + e.getMessage(), e);
    }
  }
}
