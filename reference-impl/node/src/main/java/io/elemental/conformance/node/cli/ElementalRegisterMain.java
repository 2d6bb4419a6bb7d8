package io.elemental.conformance.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.node.agent.AgentConnection;
import io.elemental.conformance.node.host.LocalMachineFacts;
import io.elemental.conformance.node.register.ClientAuth;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.register.RegisterClient;
import io.elemental.conformance.node.register.RegistrationConfigFile;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.toolkit.BootEntries;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.Installer;
import io.elemental.conformance.node.toolkit.RegistrationInstall;
import io.elemental.conformance.node.toolkit.Resetter;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.host.HostDisks;
import io.elemental.conformance.node.toolkit.host.HostRunningSystem;
import io.elemental.conformance.node.toolkit.host.LiveSystem;
import io.elemental.conformance.node.toolkit.host.RecoveryReset;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code elemental-register} of the reference OS: reads the registration config the seed image
 * carries, gathers this machine's facts, registers with the operator and keeps the answer.
 *
 * <p>On the live system, when the operator's answer asks for an install ({@code elemental.install}
 * naming a device), it then installs the live OS to that disk, with the registration config and
 * state on COS_OEM (so the installed system registers again as the same machine), and reboots or
 * powers off as asked.
 *
 * <p>Exit codes: 0 registered (and installed, when asked); 1 gave up after {@code --tries} failed
 * attempts (network or protocol); 2 bad command line; 3 a permanent error (config, missing TPM)
 * that retrying cannot fix; 4 the install failed. Every outcome ends with one line from
 * {@link ConsoleLines}.
 */
@Command(name = "elemental-register", mixinStandardHelpOptions = true, version = RegisterClient.CLIENT_VERSION,
    description = "Registers this machine with the Elemental operator (reference implementation).")
public final class ElementalRegisterMain implements Callable<Integer> {
  /** Where dmsquash-live mounts the seed ISO, and the config the SeedImage puts at its root. */
  static final Path LIVE_CONFIG = Path.of("/run/initramfs/live/livecd-cloud-config.yaml");
  static final Path LIVE_STATE = Path.of("/tmp/registration/state.yaml");
  static final Path INSTALLED_CONFIG = Path.of("/oem/registration/config.yaml");
  static final Path INSTALLED_STATE = Path.of("/oem/registration/state.yaml");
  static final int GAVE_UP = 1;
  static final int PERMANENT = 3;
  static final int INSTALL_FAILED = 4;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Registration config (default: ${DEFAULT-VALUE} when live, else /oem/registration/config.yaml).")
  Path config;

  @Option(names = "--state", paramLabel = "FILE",
      description = "State file (default: /tmp/registration/state.yaml when live, else /oem/registration/state.yaml).")
  Path state;

  @Option(names = "--reply", paramLabel = "FILE",
      description = "Where the operator's configuration is written (default: config-reply.yaml next to the state).")
  Path reply;

  @Option(names = "--tries", defaultValue = "60",
      description = "Attempts on network or protocol failure before giving up; 0 = forever (default ${DEFAULT-VALUE}).")
  int tries;

  @Option(names = "--retry-interval", defaultValue = "5", paramLabel = "SECONDS",
      description = "Pause between attempts (default ${DEFAULT-VALUE}).")
  int retryIntervalSeconds;

  @Option(names = "--tpm-device", defaultValue = "/dev/tpmrm0", description = "TPM resource manager device.")
  Path tpmDevice;

  @Option(names = "--emulated-tpm-dir", defaultValue = "/run/elemental/swtpm",
      description = "State of the guest-local swtpm used for emulate-tpm: true.")
  Path emulatedTpmDir;

  @Option(names = "--layout", defaultValue = "defaults", paramLabel = "defaults|small",
      description = "Partition sizes of an install the operator asks for (default: ${DEFAULT-VALUE}; small fits a"
          + " 5 GiB disk).")
  String layout;

  @Option(names = "--agent-connection", paramLabel = "FILE", defaultValue = "/var/lib/elemental/agent/elemental_connection.json",
      description = "Where an installed system writes how its system agent reaches the plan Secret (default: ${DEFAULT-VALUE}).")
  Path agentConnection;

  @Option(names = "--reset",
      description = "In the recovery system, with the operator's reset plan on COS_OEM: reset this machine as its last"
          + " registration answer says (elemental.reset), keep its registration config without its state, and reboot;"
          + " the reset system then registers as a new machine.")
  boolean reset;

  /** The machine a --reset acts on (tests give a simulated one). */
  Supplier<RunningSystem> resetSystem = HostRunningSystem::new;

  private final PrintWriter out;
  private final Supplier<MachineFacts> facts;
  private final Path liveConfig;
  private EmulatedTpm emulatedTpm;

  ElementalRegisterMain(PrintWriter out, Supplier<MachineFacts> facts, Path liveConfig) {
    this.out = out;
    this.facts = facts;
    this.liveConfig = liveConfig;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(commandLine(new ElementalRegisterMain(out, () -> LocalMachineFacts.ofThisMachine().gather(),
        LIVE_CONFIG), out).execute(args));
  }

  /** Usage errors print the same ERROR line as any other failure, then the usage. */
  static CommandLine commandLine(ElementalRegisterMain main, PrintWriter out) {
    CommandLine line = new CommandLine(main).setOut(out).setErr(out);
    line.setParameterExceptionHandler((e, args) -> {
      new ConsoleLines(out).error(e.getMessage() + ". Fix: see elemental-register --help");
      return CommandLine.ExitCode.USAGE;
    });
    return line;
  }

  @Override
  public Integer call() {
    ConsoleLines console = new ConsoleLines(out);
    if (reset) return resetFromRecovery(console);
    try {
      Path configFile = configFile();
      Path stateFile = state != null ? state : configFile.equals(liveConfig) ? LIVE_STATE : INSTALLED_STATE;
      Path replyFile = reply != null ? reply : stateFile.resolveSibling("config-reply.yaml");
      RegistrationConfig registration = readConfig(configFile);
      MachineFacts machine = facts.get();
      ClientAuth auth = MachineAuth.choose(registration, machine, tpmDevice,
          Optional.ofNullable(System.getenv("TPM2TOOLS_TCTI")).filter(s -> !s.isBlank()), this::startEmulatedTpm);
      console.info("registering with " + redacted(registration.url) + " (auth: " + auth.method() + ", config: "
          + configFile + ")");
      RegisterClient client = new RegisterClient(URI.create(registration.url), registration.caCert,
          Boolean.TRUE.equals(registration.noSmbios), auth, machine, stateFile);
      String answer = attempt(client, console);
      if (answer == null) return GAVE_UP;
      write(replyFile, answer);
      console.registered(inventoryName(answer));
      if (configFile.equals(liveConfig)) {
        Optional<RegistrationInstall> install = RegistrationInstall.from(answer);
        if (install.isPresent()) return install(install.get(), configFile, stateFile, console);
        return CommandLine.ExitCode.OK;
      }
      // Installed: the system agent reaches its plan Secret as this answer says (its unit waits for the file).
      writeAgentConnection(answer, console);
      return CommandLine.ExitCode.OK;
    } catch (ToolkitException e) {
      console.error(e.getMessage());
      return INSTALL_FAILED;
    } catch (IOException e) {
      console.error("cannot read the registration files to install: " + e.getMessage() + ". Fix: check "
          + "/tmp/registration and the seed image's config");
      return INSTALL_FAILED;
    } catch (PermanentFailure e) {
      console.error(e.getMessage());
      return PERMANENT;
    } catch (RuntimeException e) {
      console.error("unexpected failure: " + e + ". Fix: report this with the journal of elemental-register.service");
      return PERMANENT;
    } finally {
      if (emulatedTpm != null) emulatedTpm.close();
    }
  }

  private void writeAgentConnection(String answer, ConsoleLines console) {
    try {
      AgentConnection.fromRegistrationAnswer(answer).write(agentConnection);
      console.info("system agent connection written to " + agentConnection);
    } catch (IllegalArgumentException | IOException e) {
      console.error("no system agent for this machine: " + e.getMessage());
    }
  }

  /**
   * Installs the live system as the answer asks. COS_OEM gets this boot's registration config and
   * state: the installed system reads them from {@code /oem/registration} and registers again
   * (an Update of the same inventory).
   */
  private int install(RegistrationInstall install, Path configFile, Path stateFile, ConsoleLines console)
      throws IOException {
    Optional<byte[]> state = Files.isRegularFile(stateFile) ? Optional.of(Files.readAllBytes(stateFile))
        : Optional.empty();
    InstallSpec spec = LiveSystem.withLiveRecovery(install.spec(new HostDisks(), LiveSystem.defaultSource(),
        ElementalMain.layout(layout), install.oemFiles(Files.readAllBytes(configFile), state),
        Path.of("/tmp/elemental-install")));
    console.info("installing " + spec.source() + " to " + spec.device().name() + " (" + layout + " layout)");
    new Installer(Clock.systemUTC(), new HostRunningSystem().stageHooks()).install(spec);
    console.installed(spec.device().name());
    HostRunningSystem host = new HostRunningSystem();
    if (install.powerOff()) {
      console.info("powering off");
      host.powerOff();
    } else if (install.reboot()) {
      console.info("rebooting into the installed system");
      host.reboot();
    }
    return CommandLine.ExitCode.OK;
  }

  /**
   * {@code --reset}, what the recovery system runs for the operator's reset plan: checks that the
   * registration is still served (a machine reset for a registration that is gone could not come
   * back), resets as the last answer asked, and reboots into the reset system, which registers as
   * a new machine with the registration config kept on COS_OEM.
   */
  private int resetFromRecovery(ConsoleLines console) {
    try {
      RunningSystem system = resetSystem.get();
      if (!BootEntries.RECOVERY.equals(system.bootedEntry())) {
        throw new PermanentFailure("--reset runs in the recovery system, but this machine booted "
            + system.bootedEntry() + ". Fix: boot recovery first (grub2-editenv /oem/grubenv set next_entry=recovery)");
      }
      Path configFile = config != null ? config : INSTALLED_CONFIG;
      if (!Files.isReadable(configFile)) {
        throw new PermanentFailure("no registration config at " + configFile + " to register with after the reset."
            + " Fix: keep COS_OEM's registration (or pass --config)");
      }
      RegistrationConfig registration = readConfig(configFile);
      byte[] configBytes = Files.readAllBytes(configFile);
      Path answerFile = reply != null ? reply
          : (state != null ? state : INSTALLED_STATE).resolveSibling("config-reply.yaml");
      Optional<String> lastAnswer = Files.isRegularFile(answerFile) ? Optional.of(Files.readString(answerFile))
          : Optional.empty();
      Resetter.Options options = RecoveryReset.options(lastAnswer);
      RegisterClient endpoint = new RegisterClient(URI.create(registration.url), registration.caCert, true, null, null,
          null);
      if (!probe(endpoint, console)) return GAVE_UP;
      console.info("resetting from recovery (reset-persistent: " + options.resetPersistent() + ", reset-oem: "
          + options.resetOem() + ")");
      int snapshot = new RecoveryReset(Clock.systemUTC()).reset(system, options, configBytes);
      console.info("reset from recovery: snapshot " + snapshot + " made from the recovery image is active; rebooting"
          + " to register as a new machine");
      system.reboot();
      return CommandLine.ExitCode.OK;
    } catch (PermanentFailure e) {
      console.error(e.getMessage());
      return PERMANENT;
    } catch (ToolkitException e) {
      console.error("reset failed: " + e.getMessage());
      return INSTALL_FAILED;
    } catch (IOException e) {
      console.error("cannot read the registration on COS_OEM to reset: " + e.getMessage() + ". Fix: check /oem/registration");
      return INSTALL_FAILED;
    } catch (RuntimeException e) {
      console.error("unexpected failure: " + e + ". Fix: report this with the journal of elemental-register-reset.service");
      return PERMANENT;
    }
  }

  /** The registration endpoint still serves this registration; retried like a registration. */
  private boolean probe(RegisterClient endpoint, ConsoleLines console) {
    for (int i = 1; tries <= 0 || i <= tries; i++) {
      try {
        endpoint.probeEndpoint();
        return true;
      } catch (RegistrationException e) {
        if (tries > 0 && i == tries) {
          console.error(e.getMessage() + " (gave up after " + tries + " attempts; nothing was reset). Fix: check that"
              + " the operator's registration URL is reachable from this machine and that its MachineRegistration is"
              + " Ready");
          return false;
        }
        console.error(e.getMessage() + " (attempt " + i + (tries > 0 ? "/" + tries : "") + ", retrying in "
            + retryIntervalSeconds + " s)");
        pause(Duration.ofSeconds(retryIntervalSeconds));
      }
    }
    return false;
  }

  /** Retries what can heal by itself (operator not up yet, network not routed yet). */
  private String attempt(RegisterClient client, ConsoleLines console) {
    for (int i = 1; tries <= 0 || i <= tries; i++) {
      try {
        client.probeEndpoint();
        return client.register();
      } catch (RegistrationException e) {
        boolean last = tries > 0 && i == tries;
        if (last) {
          console.error(e.getMessage() + " (gave up after " + tries + " attempts). Fix: check that the operator's"
              + " registration URL is reachable from this machine and that its MachineRegistration is Ready");
          return null;
        }
        console.error(e.getMessage() + " (attempt " + i + (tries > 0 ? "/" + tries : "") + ", retrying in "
            + retryIntervalSeconds + " s)");
        pause(Duration.ofSeconds(retryIntervalSeconds));
      }
    }
    return null;
  }

  private Path configFile() throws PermanentFailure {
    if (config != null) return config;
    for (Path candidate : List.of(liveConfig, INSTALLED_CONFIG)) {
      if (Files.isReadable(candidate)) return candidate;
    }
    throw new PermanentFailure("no registration config at " + liveConfig + " (live) nor " + INSTALLED_CONFIG
        + " (installed). Fix: boot from a seed image built for a MachineRegistration, or pass --config");
  }

  private static RegistrationConfig readConfig(Path file) throws PermanentFailure {
    try {
      RegistrationConfig registration = RegistrationConfigFile.read(file);
      URI url = URI.create(registration.url);
      if (url.getScheme() == null || !url.getScheme().matches("https?|wss?") || url.getHost() == null) {
        throw new PermanentFailure("elemental.registration.url in " + file + " is not an http(s) URL: "
            + registration.url + ". Fix: use the MachineRegistration's status.registrationURL");
      }
      return registration;
    } catch (RegistrationException e) {
      throw new PermanentFailure(e.getMessage() + (e.getMessage().contains("Fix") ? "" : " (" + file + "). Fix: use"
          + " the YAML served at the MachineRegistration's registrationURL"));
    } catch (IllegalArgumentException e) {
      throw new PermanentFailure("elemental.registration.url in " + file + " is not a URL: " + e.getMessage());
    }
  }

  private String startEmulatedTpm(RegistrationConfig registration) throws PermanentFailure {
    console().info("emulate-tpm: starting a guest-local swtpm (state in " + emulatedTpmDir + "; new EK per boot)");
    emulatedTpm = EmulatedTpm.start(emulatedTpmDir);
    return emulatedTpm.tcti();
  }

  private ConsoleLines console() {
    return new ConsoleLines(out);
  }

  /** The inventory's name is what the system agent's plan secret is called. */
  static String inventoryName(String configReply) {
    try {
      JsonNode name = new YAMLMapper().readTree(configReply).at("/elemental/system-agent/secret-name");
      return name.isMissingNode() || name.asText().isBlank() ? "(unknown: no elemental.system-agent.secret-name)"
          : name.asText();
    } catch (IOException e) {
      return "(unknown: the operator's answer is not YAML)";
    }
  }

  /** The token in the URL is a credential: the console shows only its start. */
  static String redacted(String url) {
    int slash = url.lastIndexOf('/');
    String token = url.substring(slash + 1);
    return token.length() <= 6 ? url : url.substring(0, slash + 1) + token.substring(0, 4) + "…";
  }

  private static void write(Path file, String content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".reply", ".yaml");
      Files.writeString(temp, content);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void pause(Duration interval) {
    try {
      Thread.sleep(interval.toMillis()); // the retry policy's interval, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
