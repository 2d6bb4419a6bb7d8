package io.elemental.conformance.harness.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.node.host.OsRelease;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.register.RegisterClient;
import io.elemental.conformance.node.register.RegistrationConfigFile;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.Installer;
import io.elemental.conformance.node.toolkit.OsImages;
import io.elemental.conformance.node.toolkit.OsTree;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.RegistrationInstall;
import io.elemental.conformance.node.toolkit.Resetter;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.simulated.BootedSystem;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * A machine of the @sim tier: the reference node code (register client, toolkit, system agent)
 * running in the test JVM, with made-up hardware (SMBIOS, NICs), a {@link SimulatedDisk} and
 * the {@link SimulatedFirmware} that boots it.
 *
 * <p>Its life follows the real one: the seed image boots live (the OS image unpacked, the
 * registration config in {@code /oem}); the register client registers and, when the answer asks
 * for it, installs to the disk and reboots; every boot from the disk goes through GRUB's rules
 * and boot assessment, then registers again; the system agent applies the plan, and an
 * {@code elemental upgrade --reboot} in it reboots the machine. What a real machine prints on its
 * console, this one keeps in {@link #console()}.
 */
public final class SimulatedMachine {
  /** How many boots in a row may fail their health checks before the machine is left as it is. */
  static final int MAX_BOOTS = 8;
  static final long DISK_BYTES = 20L * 1024 * 1024 * 1024;
  static final String DISK = "/dev/vda";
  /** What the operator's reset plan leaves on COS_OEM (ResetPlan.CLOUD_CONFIG_PATH). */
  static final String RESET_CLOUD_CONFIG = "oem/reset-cloud-config.yaml";

  private final String name;
  private final Path dir;
  private final SimulatedDisks disks;
  /** The disk the firmware boots: the one installed to, else the first. */
  private SimulatedDisk disk;
  private final List<String> console = Collections.synchronizedList(new ArrayList<>());
  private Path root;
  private MachineFacts facts;
  private final SimulatedTpmSlot tpm;
  private BootedSystem booted;
  private Path liveRoot;
  private String answer;
  private SimulatedAgent agent;
  private final SimulatedPower power = new SimulatedPower();

  private SimulatedMachine(String name, Path dir, MachineFacts facts, SimulatedTpms tpms, Map<String, Long> diskSizes) {
    this.name = name;
    this.dir = dir;
    this.root = dir;
    this.facts = facts;
    this.tpm = new SimulatedTpmSlot(name, tpms);
    this.disks = new SimulatedDisks(diskSizes, dir.resolve("disks"));
    this.disk = disks.first();
  }

  /** A QEMU-like machine ({@link SimulatedHardware}): {@code system} overrides or adds "System Information" fields. */
  public static SimulatedMachine create(String name, Path workDir, String uuid, String mac, Map<String, String> system,
      Map<String, String> ownLabels, SimulatedTpms tpms) {
    return create(name, workDir, uuid, mac, system, ownLabels, tpms, DISK_BYTES);
  }

  /** As above, with a disk of {@code diskBytes} (sparse: its size costs nothing). */
  public static SimulatedMachine create(String name, Path workDir, String uuid, String mac, Map<String, String> system,
      Map<String, String> ownLabels, SimulatedTpms tpms, long diskBytes) {
    return create(name, workDir, uuid, mac, system, ownLabels, tpms, Map.of(DISK, diskBytes));
  }

  /** As above, with the disks {@code diskSizes} names, in the kernel's order, with their sizes in bytes. */
  public static SimulatedMachine create(String name, Path workDir, String uuid, String mac, Map<String, String> system,
      Map<String, String> ownLabels, SimulatedTpms tpms, Map<String, Long> diskSizes) {
    MachineFacts facts = SimulatedHardware.facts(name, uuid, mac, system, ownLabels);
    try {
      return new SimulatedMachine(name, Files.createDirectories(workDir.resolve("machines").resolve(name + "-"
          + System.nanoTime())), facts, tpms, new java.util.LinkedHashMap<>(diskSizes));
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

  /**
   * Boots a seed image of {@code osImage}: the live system is the image's root (pulled from the
   * registry and unpacked), with the registration URL's YAML in {@code /oem}.
   */
  public void bootSeedImage(String registrationYaml, String osImage) {
    try (OsTree tree = OsImages.fetch(osImage, dir.resolve("scratch")).requireBootable()) {
      liveRoot = dir.resolve("live");
      copyTree(tree.root(), liveRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the live system of " + osImage + ": " + e.getMessage(), e);
    }
    root = liveRoot;
    facts = SimulatedHardware.withOsRelease(facts, OsRelease.read(root.resolve("etc/os-release")));
    bootSeedImageWith(registrationYaml);
    print("booted the seed image of " + osImage + " (live)");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
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

  /**
   * Runs the register client as the machine does at boot; returns the configuration it got.
   * Live, when that configuration asks for an install, the machine then installs and reboots
   * (or powers off) as configured, and what it returns is the answer of its registration
   * after the reboot. An install that fails is printed on the console; the machine stays live.
   */
  public String register() throws RegistrationException {
    RegistrationConfig config = RegistrationConfigFile.read(configFile());
    answer = new RegisterClient(URI.create(config.url), config.caCert, Boolean.TRUE.equals(config.noSmbios),
        tpm.auth(config, facts), facts, root.resolve("oem/registration/state.yaml")).register();
    print("elemental-register: registered" + (booted == null ? " (live)" : " (" + booted.entry() + ")"));
    Optional<RegistrationInstall> install = booted == null && liveRoot != null ? RegistrationInstall.from(answer)
        : Optional.empty();
    if (install.isPresent() && install(install.get())) {
      if (install.get().reboot()) {
        reboot();
      } else if (install.get().powerOff()) {
        print("elemental-register: powering off");
        powerOff();
      }
    }
    return answer;
  }

  private boolean install(RegistrationInstall install) {
    try {
      Path state = root.resolve("oem/registration/state.yaml");
      InstallSpec spec = install.spec(disks, "dir:" + liveRoot, DiskLayout.defaults(), install.oemFiles(
          Files.readAllBytes(configFile()), Files.isRegularFile(state) ? Optional.of(Files.readAllBytes(state))
              : Optional.empty()), dir.resolve("scratch"));
      new Installer(Clock.systemUTC()).install(spec);
      disk = (SimulatedDisk) spec.device();
      print("elemental-register: installed to " + disk.name());
      return true;
    } catch (ToolkitException | IOException e) {
      print("elemental-register: ERROR: install failed: " + e.getMessage());
      return false;
    }
  }

  /** The disk called {@code name}; an install naming another fails as on a real machine. */
  public SimulatedDisk disk(String name) {
    return disks.named(name);
  }

  /**
   * Reboots: the agent stops; the firmware boots the disk when it is installed (health check
   * failures reboot again, so GRUB falls back), else the seed image again. A boot from the disk
   * registers again.
   */
  public void reboot() throws RegistrationException {
    closeAgent();
    disk = disks.bootable(disk);
    if (!SimulatedFirmware.isBootable(disk)) {
      print("no bootable disk: booting the seed image again");
      root = liveRoot != null ? liveRoot : dir;
      booted = null;
      return;
    }
    for (int boot = 1; boot <= MAX_BOOTS; boot++) {
      booted = SimulatedFirmware.boot(disk, dir.resolve("root"));
      print("GRUB: booting " + booted.entry() + " (" + booted.cmdline() + ")");
      if (booted.healthy()) break;
      print("elemental-boot-assessment: " + booted.failure() + "; rebooting");
    }
    root = booted.root();
    facts = SimulatedHardware.withOsRelease(facts, OsRelease.read(root.resolve("etc/os-release")));
    if (!booted.healthy()) return;
    if ("recovery".equals(booted.mode()) && Files.isRegularFile(root.resolve(RESET_CLOUD_CONFIG))) {
      resetFromRecovery();
    } else {
      register();
    }
  }

  /**
   * What the reset cloud-config starts in recovery (elemental-register --reset): the toolkit's
   * reset, then a registration as a new machine, then a reboot into the new active snapshot.
   */
  private void resetFromRecovery() throws RegistrationException {
    try {
      byte[] registrationConfig = Files.readAllBytes(configFile());
      JsonNode reset = new YAMLMapper().readTree(answer == null ? "{}" : answer).path("elemental").path("reset");
      new Resetter(Clock.systemUTC()).reset(runningSystem(), new Resetter.Options(
          reset.path("reset-persistent").asBoolean(true), reset.path("reset-oem").asBoolean(true)));
      Path oem = disk.fs(Partition.OEM);
      Files.createDirectories(oem.resolve("registration"));
      Files.write(oem.resolve("registration/config.yaml"), registrationConfig);
      Files.deleteIfExists(oem.resolve("registration/state.yaml"));
      Files.deleteIfExists(root.resolve(RESET_CLOUD_CONFIG));
      print("elemental-register: reset from recovery");
    } catch (IOException | ToolkitException e) {
      print("elemental-register: ERROR: reset failed: " + e.getMessage());
      return;
    }
    register();
    reboot();
  }

  /**
   * One pass of the machine's system agent (started on first use after each boot, so its first
   * pass is forced). Returns what the pass did, or empty when the plan rebooted the machine.
   */
  public Optional<io.elemental.conformance.node.agent.PlanApplier.Result> agentPass() throws RegistrationException {
    if (answer == null) throw new IllegalStateException(name + " has not registered: its agent has no token");
    if (power.isOff()) throw new IllegalStateException(name + " is powered off: power it on first");
    if (agent == null) {
      agent = SimulatedAgent.start(this, answer, commands());
    }
    power.clearRebootRequest();
    try {
      return Optional.of(agent.runOnce());
    } catch (PowerCut e) {
      closeAgent();
      return Optional.empty();
    } catch (Rebooting e) {
      reboot();
      return Optional.empty();
    }
  }

  private SimulatedCommands commands() {
    return new SimulatedCommands(this::runningSystem, () -> root, this::print, this::stopIfPowerChanged);
  }

  /** The machine's system agent restarts (its service is restarted): its next pass is a forced one. */
  public void restartAgent() {
    closeAgent();
    print("elemental-system-agent: restarted");
  }

  /**
   * Starts another system agent as its service would: from the agent configuration {@code configPath} on the
   * machine (rancher-system-agent's {@code config.yaml}: {@code remoteEnabled}, {@code connectionInfoFile},
   * {@code workDirectory}). On @sim that agent is the reference agent. Fails, as the service would, when the
   * configuration or its connection file is missing or unusable.
   */
  public SimulatedAgent startAgentFrom(String configPath) {
    if (power.isOff()) throw new IllegalStateException(name + " is powered off: power it on first");
    Path config = root.resolve(configPath.replaceFirst("^/+", ""));
    try {
      JsonNode yaml = new YAMLMapper().readTree(config.toFile());
      if (!yaml.path("remoteEnabled").asBoolean(false)) {
        throw new IllegalStateException(configPath + " on " + name + " does not enable remote plans");
      }
      io.elemental.conformance.node.agent.AgentConnection connection = io.elemental.conformance.node.agent
          .AgentConnection.read(root.resolve(yaml.path("connectionInfoFile").asText().replaceFirst("^/+", "")));
      Path work = root.resolve(yaml.path("workDirectory").asText("/var/lib/rancher/agent/work").replaceFirst("^/+", ""));
      print("agent started from " + configPath + ": plan Secret " + connection.namespace() + "/"
          + connection.secretName());
      return SimulatedAgent.connected(this, connection, work, commands());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the agent of " + configPath + " on " + name + ": " + e.getMessage(), e);
    }
  }

  /** After a plan's command: a cut or a reboot ends the agent's pass there, before it writes anything. */
  private void stopIfPowerChanged() {
    if (power.isOff()) throw new PowerCut("while the agent ran its plan");
    if (power.rebootRequested()) throw new Rebooting();
  }

  /** The system the toolkit's commands act on: this machine's disk and what it booted. */
  RunningSystem runningSystem() {
    return new RunningSystem() {
      @Override
      public Partitions partitions() {
        return disk.open();
      }

      @Override
      public String bootedEntry() {
        return booted == null ? "live" : booted.entry();
      }

      @Override
      public void reboot() {
        // Asynchronous, as systemctl reboot is: the agent's pass ends, then the machine reboots.
        power.requestReboot();
      }

      @Override
      public void checkpoint(String point) {
        if (power.cutsAt(point)) {
          record("--- the plug is pulled: the upgrade is at \"" + point + "\" ---");
          throw new PowerCut("during an upgrade, at \"" + point + "\"");
        }
      }
    };
  }

  /** Arms a power cut: the plug is pulled when an upgrade on this machine reaches {@code point}. */
  public void pullPlugAt(String point) {
    power.armCutAt(point);
  }

  public boolean isOff() {
    return power.isOff();
  }

  /** Powers the machine on after a power cut: it boots as after any reboot. */
  public void powerOn() throws RegistrationException {
    power.restore();
    reboot();
  }

  /** What booted last, or empty while the machine runs the seed image. */
  public Optional<BootedSystem> booted() {
    return Optional.ofNullable(booted);
  }

  public SimulatedDisk disk() {
    return disk;
  }

  /** The lines the machine printed, oldest first. */
  public List<String> console() {
    synchronized (console) {
      return List.copyOf(console);
    }
  }

  void print(String line) {
    if (power.isOff()) return; // a machine without power prints nothing (the command line would report the cut as a failure)
    record(line);
  }

  /** A console line whether or not the machine has power: the harness's own marks. */
  private void record(String line) {
    console.add(line);
    LoggerFactory.getLogger(SimulatedMachine.class).info("[{}] {}", name, line);
  }

  /** The agent stops with the machine; the next boot starts a new one (whose first pass is forced). */
  private void closeAgent() {
    agent = null;
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
    tpm.fitChip();
    return this;
  }

  /** The hash the operator keys the machine by when it attests with its TPM (none without one). */
  public Optional<String> tpmHash() {
    return tpm.tpmHash();
  }

  /** Powers the machine off: its agent and its TPM process stop; {@link #powerOn()} boots it again. */
  public void powerOff() {
    closeAgent();
    tpm.close();
    power.cut();
  }

  private Path configFile() {
    return root.resolve("oem/registration/config.yaml");
  }
}
