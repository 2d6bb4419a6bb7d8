package io.elemental.conformance.node.toolkit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.Resetter;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;

/**
 * What the recovery system of a machine does with the operator's reset plan
 * ({@code elemental-register --reset}, started in recovery mode while the plan's cloud-config is on
 * COS_OEM): the toolkit's reset ({@link Resetter}: COS_PERSISTENT and COS_OEM emptied as the
 * registration's {@code elemental.reset} says, the recovery image made the new active snapshot),
 * then the registration config put back on COS_OEM <em>without</em> its state, so the reset system
 * registers as a new machine, and the cloud-config removed, so the next recovery boot does not
 * reset again.
 */
public final class RecoveryReset {
  /** Where the operator's reset plan puts its cloud-config, relative to COS_OEM ({@code /oem/reset-cloud-config.yaml}). */
  public static final String CLOUD_CONFIG = "reset-cloud-config.yaml";
  public static final String REGISTRATION_CONFIG = "registration/config.yaml";
  public static final String REGISTRATION_STATE = "registration/state.yaml";
  public static final String REGISTRATION_ANSWER = "registration/config-reply.yaml";

  private final Clock clock;

  public RecoveryReset(Clock clock) {
    this.clock = clock;
  }

  /**
   * The reset the operator's last answer asked for ({@code elemental.reset.reset-persistent} and
   * {@code reset-oem}), Elemental's defaults (both true) where it says nothing.
   */
  public static Resetter.Options options(Optional<String> lastAnswer) {
    JsonNode reset;
    try {
      reset = new YAMLMapper().readTree(lastAnswer.orElse("{}")).path("elemental").path("reset");
    } catch (IOException e) {
      throw new ToolkitException("the last registration answer is not YAML (" + e.getMessage().lines().findFirst().orElse("") + "). Fix:"
          + " remove /oem/" + REGISTRATION_ANSWER + " to reset with Elemental's defaults");
    }
    return new Resetter.Options(reset.path("reset-persistent").asBoolean(true), reset.path("reset-oem").asBoolean(true));
  }

  /** Resets {@code system} (booted in recovery) and leaves it to register as new; returns the new active snapshot. */
  public int reset(RunningSystem system, Resetter.Options options, byte[] registrationConfig) {
    int snapshot = new Resetter(clock).reset(system, options);
    try (Partitions partitions = system.partitions()) {
      Path oem = partitions.oem();
      Path config = oem.resolve(REGISTRATION_CONFIG);
      Files.createDirectories(config.getParent());
      Path partial = config.resolveSibling("config.yaml.part");
      Files.write(partial, registrationConfig);
      Files.move(partial, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      // Kept when reset-oem is false; without them the machine registers as new and recovery stops resetting.
      Files.deleteIfExists(oem.resolve(REGISTRATION_STATE));
      Files.deleteIfExists(oem.resolve(REGISTRATION_ANSWER));
      Files.deleteIfExists(oem.resolve(CLOUD_CONFIG));
    } catch (IOException e) {
      throw new ToolkitException("reset to snapshot " + snapshot + ", but cannot put the registration back on COS_OEM: "
          + e.getMessage() + ". Fix: write the registration config to /oem/" + REGISTRATION_CONFIG + " by hand", e);
    }
    return snapshot;
  }
}
