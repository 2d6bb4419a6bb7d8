package io.elemental.conformance.node.toolkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.v1beta1.InstallConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The install a registration answer asks for ({@code elemental.install} of the operator's
 * reply): which disk, from what, how many snapshots, and what to do after. Both tiers install
 * through here: a VM with its real disks, a simulated machine with its simulated one.
 */
public record RegistrationInstall(InstallConfig config) {
  private static final YAMLMapper YAML = (YAMLMapper) new YAMLMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The install section of {@code reply}, if it asks for an install (names a device). */
  public static Optional<RegistrationInstall> from(String reply) {
    try {
      JsonNode install = YAML.readTree(reply).at("/elemental/install");
      if (install.isMissingNode() || install.isNull()) return Optional.empty();
      InstallConfig config = YAML.treeToValue(install, InstallConfig.class);
      if (config.device == null || config.device.isBlank()) return Optional.empty();
      return Optional.of(new RegistrationInstall(config));
    } catch (IOException e) {
      throw new ToolkitException("the registration answer's elemental.install is not valid: " + e.getMessage()
          + ". Fix: correct config.elemental.install in the MachineRegistration", e);
    }
  }

  /**
   * The install of {@code defaultSource} (the live system, {@code dir:...}) unless
   * {@code system-uri} names another, to the device {@code devices} finds by name.
   */
  public InstallSpec spec(Function<String, BlockDevice> devices, String defaultSource, DiskLayout layout,
      Map<String, byte[]> oemFiles, Path scratch) {
    String source = config.systemUri == null || config.systemUri.isBlank() ? defaultSource : config.systemUri;
    int maxSnaps = config.snapshotter != null && config.snapshotter.maxSnaps != null ? config.snapshotter.maxSnaps
        : Snapshots.DEFAULT_MAX_SNAPS;
    return new InstallSpec(devices.apply(config.device), layout, source, maxSnaps, oemFiles, scratch);
  }

  public boolean reboot() {
    return Boolean.TRUE.equals(config.reboot);
  }

  public boolean powerOff() {
    return Boolean.TRUE.equals(config.poweroff);
  }
}
