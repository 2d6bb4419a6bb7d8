package io.elemental.conformance.harness.machine;

import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.node.register.ClientAuth;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.register.PlainAuth;
import io.elemental.conformance.node.register.RegisterClient;
import io.elemental.conformance.node.register.RegistrationConfigFile;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.register.TpmAuth;
import io.elemental.conformance.node.tpm.TpmClient;
import io.elemental.conformance.fixtures.tpm.Swtpm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine of the @sim tier: the reference node code (register client) running in the test
 * JVM, with made-up hardware (SMBIOS, NICs) and its own folder standing in for its disks
 * ({@code oem/registration/config.yaml} from the seed image, {@code state.yaml}).
 */
public final class SimulatedMachine {
  private final String name;
  private final Path root;
  private final MachineFacts facts;
  private final SimulatedTpms tpms;
  private Swtpm tpm;
  private String tpmHash;

  private SimulatedMachine(String name, Path root, MachineFacts facts, SimulatedTpms tpms) {
    this.name = name;
    this.root = root;
    this.facts = facts;
    this.tpms = tpms;
  }

  /** A QEMU-like machine: {@code system} overrides or adds "System Information" fields. */
  public static SimulatedMachine create(String name, Path workDir, String uuid, String mac, Map<String, String> system,
      Map<String, String> ownLabels, SimulatedTpms tpms) {
    Map<String, Object> systemInformation = new LinkedHashMap<>(Map.of(
        "Manufacturer", "QEMU", "Product Name", "Standard PC (Q35 + ICH9, 2009)", "Version", "pc-q35-7.2",
        "Serial Number", "Not Specified", "UUID", uuid, "Family", "Not Specified"));
    systemInformation.putAll(system);
    Map<String, Object> smbios = Map.of(
        "System Information", systemInformation,
        "BIOS Information", Map.of("Vendor", "EDK II", "Version", "stable202302"));
    Map<String, Object> systemData = Map.of(
        "Runtime", Map.of("Hostname", name),
        "Network", Map.of("TotalNICs", "1", "NICs", Map.of("eth0", Map.of("Name", "eth0", "MacAddress", mac))));
    MachineFacts facts = new MachineFacts(uuid, List.of(new MachineFacts.Nic("eth0", mac, false)), smbios, systemData,
        Map.of("NAME", "Elemental reference OS", "ID", "elemental-reference", "VERSION_ID", "0.1"), ownLabels);
    try {
      return new SimulatedMachine(name, Files.createDirectories(workDir.resolve("machines").resolve(name + "-"
          + System.nanoTime())), facts, tpms);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The machine's own file system, where its agent writes the files of its plan. */
  public Path root() {
    return root;
  }

  public String name() {
    return name;
  }

  public MachineFacts facts() {
    return facts;
  }

  /** What a seed image carries: the registration URL's YAML, in the OEM partition. */
  public void bootSeedImageWith(String registrationYaml) {
    try {
      Path config = configFile();
      Files.createDirectories(config.getParent());
      Files.writeString(config, registrationYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the register client as the machine would at boot; returns the configuration it got. */
  public String register() throws RegistrationException {
    RegistrationConfig config = RegistrationConfigFile.read(configFile());
    return new RegisterClient(URI.create(config.url), config.caCert, Boolean.TRUE.equals(config.noSmbios),
        auth(config), facts, root.resolve("oem/registration/state.yaml")).register();
  }

  /** The identity the operator will see (the PLAIN id; TPM machines come with the TPM tier). */
  public String plainId(String method) {
    return "mac".equals(method) ? facts.nics().get(0).mac() : facts.smbiosUuid();
  }

  /** Changes what the machine's SMBIOS says (a board swap, a new asset tag) before it registers again. */
  @SuppressWarnings("unchecked")
  public void setSystemInformation(String field, String value) {
    ((Map<String, Object>) facts.smbios().get("System Information")).put(field, value);
  }

  /** Gives the machine a TPM chip (with an EK certificate from the run's manufacturer CA). */
  public SimulatedMachine withTpm() {
    tpm = tpms.forMachine(name);
    return this;
  }

  /** The hash the operator keys the machine by when it attests with its TPM (none without one). */
  public synchronized java.util.Optional<String> tpmHash() {
    // Reading the EK runs tpm2-tools; it never changes, so read it once.
    if (tpmHash == null && tpm != null) {
      tpmHash = new TpmClient(tpm.tctiConfig()).endorsementKey().tpmHash();
    }
    return java.util.Optional.ofNullable(tpmHash);
  }

  /** Powers the machine off: its TPM process stops. */
  public void powerOff() {
    if (tpm != null) tpm.close();
  }

  private ClientAuth auth(RegistrationConfig config) throws RegistrationException {
    String method = config.auth == null || config.auth.isBlank() ? "tpm" : config.auth;
    return switch (method) {
      case "sys-uuid" -> PlainAuth.sysUuid(facts.smbiosUuid());
      case "mac" -> PlainAuth.mac(facts.nics());
      case "tpm" -> tpmAuth(config);
      default -> throw new RegistrationException("auth: " + method + " is not supported by this machine");
    };
  }

  private ClientAuth tpmAuth(RegistrationConfig config) throws RegistrationException {
    if (Boolean.TRUE.equals(config.emulateTpm)) {
      if (tpm == null) {
        long seed = config.emulatedTpmSeed == null ? 1 : config.emulatedTpmSeed;
        // -1: a seed per machine, from its SMBIOS UUID, as the real client derives it.
        if (seed == -1) seed = new java.math.BigInteger(facts.smbiosUuid().replace("-", ""), 16).longValue();
        tpm = tpms.emulated(seed, name);
      }
      return new TpmAuth(new TpmClient(tpm.tctiConfig()), true);
    }
    if (tpm == null) {
      throw new RegistrationException("auth: tpm, but this machine has no TPM. Fix: give it one, or register with"
          + " emulate-tpm: true or another auth method");
    }
    return new TpmAuth(new TpmClient(tpm.tctiConfig()), false);
  }


  private Path configFile() {
    return root.resolve("oem/registration/config.yaml");
  }
}
