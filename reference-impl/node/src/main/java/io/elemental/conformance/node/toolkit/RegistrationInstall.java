package io.elemental.conformance.node.toolkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.v1beta1.InstallConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The install a registration answer asks for ({@code elemental.install} of the operator's
 * reply): which disk, from what, how many snapshots, what goes to COS_OEM and what to do after.
 * Both tiers install through here: a VM with its real disks, a simulated machine with its
 * simulated ones.
 */
public record RegistrationInstall(InstallConfig config, Optional<String> cloudConfig) {
  /** Where the registration's cloud-config lands on COS_OEM; the real client's name for it. */
  public static final String CLOUD_INIT_FILE = "elemental-cloud-init.yaml";
  /** The registration config and state the installed system registers again with. */
  public static final String REGISTRATION_CONFIG_FILE = "registration/config.yaml";
  public static final String REGISTRATION_STATE_FILE = "registration/state.yaml";

  private static final YAMLMapper YAML = (YAMLMapper) new YAMLMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public RegistrationInstall(InstallConfig config) {
    this(config, Optional.empty());
  }

  /** The install section of {@code reply}, if it asks for an install (names a device or a device selector). */
  public static Optional<RegistrationInstall> from(String reply) {
    try {
      JsonNode answer = YAML.readTree(reply);
      JsonNode install = answer.at("/elemental/install");
      if (install.isMissingNode() || install.isNull()) return Optional.empty();
      InstallConfig config = YAML.treeToValue(install, InstallConfig.class);
      boolean hasDevice = config.device != null && !config.device.isBlank();
      boolean hasSelector = config.deviceSelector != null && !config.deviceSelector.isEmpty();
      if (!hasDevice && !hasSelector) return Optional.empty();
      return Optional.of(new RegistrationInstall(config, cloudConfigFile(answer.path("cloud-config"))));
    } catch (IOException e) {
      throw new ToolkitException("the registration answer is not valid: " + e.getMessage()
          + ". Fix: correct config.elemental.install and config.cloud-config in the MachineRegistration", e);
    }
  }

  /**
   * The install of {@code defaultSource} (the live system, {@code dir:...}) unless
   * {@code system-uri} names another, to {@code install.device} or else the disk the device
   * selector picks (the real client, too, prefers device when both are set).
   */
  public InstallSpec spec(MachineDisks disks, String defaultSource, DiskLayout layout, Map<String, byte[]> oemFiles,
      Path scratch) {
    String source = config.systemUri == null || config.systemUri.isBlank() ? defaultSource : config.systemUri;
    int maxSnaps = config.snapshotter != null && config.snapshotter.maxSnaps != null ? config.snapshotter.maxSnaps
        : Snapshots.DEFAULT_MAX_SNAPS;
    return new InstallSpec(device(disks), layout, source, maxSnaps, oemFiles, scratch);
  }

  BlockDevice device(MachineDisks disks) {
    if (config.device != null && !config.device.isBlank()) return disks.named(config.device);
    return DeviceSelector.of(config.deviceSelector).pick(disks.all());
  }

  /**
   * What the install puts on COS_OEM: the registration config and state this boot registered
   * with (so the installed system registers again, as the same inventory) and the
   * registration's cloud-config.
   */
  public Map<String, byte[]> oemFiles(byte[] registrationConfig, Optional<byte[]> registrationState) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(REGISTRATION_CONFIG_FILE, registrationConfig);
    registrationState.ifPresent(state -> files.put(REGISTRATION_STATE_FILE, state));
    cloudConfig.ifPresent(text -> files.put(CLOUD_INIT_FILE, text.getBytes(StandardCharsets.UTF_8)));
    return files;
  }

  public boolean reboot() {
    return Boolean.TRUE.equals(config.reboot);
  }

  public boolean powerOff() {
    return Boolean.TRUE.equals(config.poweroff);
  }

  /**
   * As the real client writes it: a yip file as it is when it defines stages, otherwise a
   * cloud-init file, marked by its {@code #cloud-config} first line.
   */
  private static Optional<String> cloudConfigFile(JsonNode cloudConfig) throws IOException {
    if (!cloudConfig.isObject() || cloudConfig.isEmpty()) return Optional.empty();
    String yaml = YAML.writeValueAsString(cloudConfig).replaceFirst("^---\n", "");
    return Optional.of(cloudConfig.has("stages") ? yaml : "#cloud-config\n" + yaml);
  }
}
