package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.fixtures.vm.SmbiosIdentity;
import io.elemental.conformance.fixtures.vm.VirtualDisk;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import io.elemental.conformance.fixtures.vm.VmSpec;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.harness.support.Waits;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real QEMU machine installing itself from its seed image: the register client's install, the
 * reboot through GRUB on the disk, and the installed system's immutable root, checked over SSH.
 */
public class VirtualMachineInstallSteps {
  static final Pattern REGISTERED = Pattern.compile("elemental-register: registered, inventory (\\S+)");
  private static final Pattern INSTALLED = Pattern.compile("elemental-register: installed to (\\S+)");
  /** An error the client does not retry (retried ones end with "retrying in N s)"). */
  static final Pattern INSTALL_ERROR = Pattern.compile("elemental-register: ERROR: (?![^\\n]*retrying)[^\\n]*");
  /** The kernel's last words before the guest's reboot. */
  private static final Pattern REBOOTING = Pattern.compile("reboot: Restarting system");
  /** The kernel's first line: GRUB has loaded the kernel and initrd and handed over. */
  private static final Pattern KERNEL_STARTED = Pattern.compile("Linux version \\S+");
  /** The initramfs's elemental-immutable module, once the root is assembled (vm-fixtures/os-image). */
  private static final Pattern BOOTED = Pattern.compile("elemental-immutable-root: booted (\\w+)");
  /** The guest's system agent on a plan that failed (an upgrade that could not pull, for one). */
  private static final Pattern AGENT_FAILED = Pattern.compile("elemental-system-agent: plan \\S+ FAILED");
  /** Registration, then partitioning and writing snapshot 1 (about 0.5 GB) under TCG. */
  private static final Duration INSTALL = Duration.ofMinutes(10);
  /** The agent's upgrade under TCG: pulling the image (about 0.5 GB), unpacking it, writing the snapshot. */
  private static final Duration UPGRADE = Duration.ofMinutes(12);
  /** OVMF picking a boot entry, or GRUB starting: the firmware is alive after a reboot. */
  private static final Pattern FIRMWARE_STARTED = Pattern.compile("BdsDxe: starting|Welcome to GRUB");
  /**
   * From the reset to the firmware's first boot line: 9–14 s when OVMF works (a warm-reset loop of
   * OVMF with swtpm, measured here). A hang costs this wait plus a cold boot, and a slow firmware
   * wrongly taken for hung costs only the cold boot, so the wait is short.
   */
  private static final Duration FIRMWARE = Duration.ofSeconds(40);
  /** After a power cycle: a cold boot, which has not been seen to hang. */
  private static final Duration FIRMWARE_AFTER_POWER_CYCLE = Duration.ofSeconds(90);
  /** From the reboot through OVMF, GRUB and the initramfs to the assembled root. */
  static final Duration REBOOT = Duration.ofMinutes(4);

  private final ScenarioScope scope;
  private final VirtualMachines vms;
  private final ScenarioSeedImages seedImages;
  private final RegistrationSteps registering;
  private final GuestCommands guestCommands;
  private final Map<String, Double> milestones = new LinkedHashMap<>();
  private Scenario scenario;

  public VirtualMachineInstallSteps(ScenarioScope scope, VirtualMachines vms, ScenarioSeedImages seedImages,
      RegistrationSteps registering, GuestCommands guestCommands) {
    this.guestCommands = guestCommands;
    this.scope = scope;
    this.vms = vms;
    this.seedImages = seedImages;
    this.registering = registering;
  }

  @Before
  public void keep(Scenario scenario) {
    this.scenario = scenario;
  }

  @When("the virtual machine {string} made by {string} with a TPM and a blank {int} GiB disk boots the seed image {string}")
  public void bootWithDisk(String name, String manufacturer, int diskGiB, String seedImage) {
    var iso = seedImages.downloadedIso(seedImage);
    int operatorPort = Integer.parseInt(scope.recall("operator port"));
    VmSpec.Builder builder = scope.environment().virtualMachines()
        .newMachine(scope.slug(), name, SmbiosIdentity.unique(manufacturer, "Conformance VM"), true);
    try {
      Files.createDirectories(builder.home());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot make the home of VM " + name + ": " + e.getMessage(), e);
    }
    // The blank disk boots first (bootindex 1) and falls through to the ISO; once installed, it boots.
    builder.cdrom(iso)
        .disk(VirtualDisk.blank(builder.home().resolve("disk0.qcow2"), diskGiB * 1024L))
        .forwardHostPort(operatorPort);
    // Upgrades pull from the host's registry (where the seed image's OS image came from).
    int registryPort = scope.environment().virtualMachines().registryPort();
    if (registryPort != 0) builder.forwardHostPort(registryPort);
    VirtualMachine vm = builder.build();
    vms.add(vm);
    vm.powerOn();
    scenario.log(name + " powered on with a TPM and a blank " + diskGiB + " GiB disk; console: " + vm.console().log());
  }

  @Then("the console of {string} shows that it installed to {string}")
  public void installed(String name, String device) {
    VirtualMachine vm = vms.get(name);
    keepInventoryUid(name);
    Matcher line = awaitConsole(vm, "the register client of " + name + " to install", INSTALL,
        Pattern.compile(INSTALLED.pattern() + "|" + INSTALL_ERROR.pattern()));
    assertThat(line.group()).as("what the register client of %s printed", name).startsWith(
        "elemental-register: installed to");
    assertThat(line.group(1)).isEqualTo(device);
    milestone("installed", vm);
  }

  @Then("{string} reboots from its disk into the {string} snapshot")
  public void rebootsInto(String name, String entry) {
    VirtualMachine vm = vms.get(name);
    rebootInto(vm, REBOOT, "rebooting", "its installed system", entry, "booted " + entry);
    assertThat(vm.console().sinceBoot()).as("the kernel command line GRUB gave %s", name)
        .contains("elemental.image=" + entry);
  }

  /** The machine's agent runs the upgrade in its plan: pull, unpack, a new snapshot, then a reboot into it. */
  @Then("{string} upgrades and reboots into the {string} snapshot")
  public void upgradesAndReboots(String name, String entry) {
    rebootInto(vms.get(name), UPGRADE, "upgraded, rebooting", "its upgraded system", entry,
        "booted " + entry + " after the upgrade");
  }

  /** Powered on after its plug was pulled: the firmware, GRUB and the initramfs, from the disk. */
  @Then("{string} boots from its disk into the {string} snapshot")
  public void bootsInto(String name, String entry) {
    VirtualMachine vm = vms.get(name);
    Matcher booted = bootFromDisk(vm, "its installed system");
    assertThat(booted.group(1)).as("the mode the initramfs of %s assembled", name).isEqualTo(entry);
    assertThat(vm.console().sinceBoot()).as("the kernel command line GRUB gave %s", name)
        .contains("elemental.image=" + entry);
    milestone("booted " + entry + " after the power cut", vm);
  }

  /**
   * The reference upgrade's fault-injection hold (ELEMENTAL_REFERENCE_HOLD_AT in the ManagedOSImage's
   * envs) says on the console that it stopped at {@code point}, its marker on the disk: the plug is pulled there.
   */
  void pullPlugWhenHeld(String name, String point) {
    VirtualMachine vm = vms.get(name);
    Matcher line = awaitConsole(vm, "the upgrade of " + name + " to hold at \"" + point + "\"", UPGRADE,
        Pattern.compile("elemental: upgrade held at \"" + Pattern.quote(point) + "\"|" + AGENT_FAILED.pattern()));
    assertThat(line.group()).as("what the system agent of %s printed", name).startsWith("elemental: upgrade held");
    milestone("upgrade held at " + point, vm);
    vm.pullThePlug();
    scenario.log(name + ": plug pulled with its upgrade at \"" + point + "\"");
  }

  /** A reboot asked for in the guest ({@code systemctl reboot}), through to the assembled root of whichever entry GRUB picks. */
  void rebootOnRequest(String name) {
    VirtualMachine vm = vms.get(name);
    guest(name, "systemctl --no-block reboot");
    awaitReboot(vm, REBOOT, "rebooting on request");
    Matcher booted = bootFromDisk(vm, "its installed system");
    milestone("booted " + booted.group(1), vm);
  }

  /** Power back after a pulled plug: same disks, NVRAM and TPM state. */
  void powerOn(String name) {
    VirtualMachine vm = vms.get(name);
    vm.powerOn();
    milestone("powered on again", vm);
  }

  /** Boot assessment finds the boot unhealthy and reboots; GRUB, seeing the trial unfinished, boots the next entry. */
  @Then("{string} fails its boot assessment and reboots into the {string} snapshot")
  public void failsAssessment(String name, String mode) {
    VirtualMachine vm = vms.get(name);
    awaitConsole(vm, "the boot assessment of " + name + " to find the boot unhealthy", REBOOT,
        Pattern.compile("elemental: ERROR: boot of \\S+ is unhealthy"));
    rebootInto(vm, REBOOT, "unhealthy, rebooting", "the fallback entry", mode, "booted " + mode + " (rolled back)");
  }

  /**
   * The guest's reboot within {@code untilReboot}, then the firmware, GRUB and the initramfs up to
   * the assembled root, whose mode must be {@code mode}; later waits see only the new boot's lines.
   */
  void rebootInto(VirtualMachine vm, Duration untilReboot, String rebootMilestone, String what, String mode,
      String bootedMilestone) {
    awaitReboot(vm, untilReboot, rebootMilestone);
    Matcher booted = bootFromDisk(vm, what);
    assertThat(booted.group(1)).as("the mode the initramfs of %s assembled", vm.name()).isEqualTo(mode);
    milestone(bootedMilestone, vm);
  }

  /** The kernel's restart line within {@code timeout}; later waits see only the next boot's lines. */
  private void awaitReboot(VirtualMachine vm, Duration timeout, String rebootMilestone) {
    awaitConsole(vm, vm.name() + " to reboot (" + rebootMilestone + ")", timeout, REBOOTING);
    milestone(rebootMilestone, vm);
    vm.console().markBoot();
  }

  /**
   * The firmware (power-cycled once if it hangs), GRUB and the initramfs, up to the assembled root;
   * the match names its mode. The report gets the time of each stage.
   */
  private Matcher bootFromDisk(VirtualMachine vm, String what) {
    long begin = System.nanoTime();
    throughFirmware(vm, vm.name());
    long firmware = System.nanoTime();
    awaitConsole(vm, vm.name() + "'s GRUB to start the kernel of " + what, REBOOT, KERNEL_STARTED);
    long kernel = System.nanoTime();
    Matcher booted = awaitConsole(vm, vm.name() + " to boot " + what, REBOOT, BOOTED);
    scenario.log(String.format(Locale.ROOT, "%s: firmware %.1f s, GRUB to the kernel %.1f s, kernel to the assembled"
        + " root %.1f s", vm.name(), (firmware - begin) / 1e9, (kernel - firmware) / 1e9,
        (System.nanoTime() - kernel) / 1e9));
    return booted;
  }

  @Then("the console of {string} shows that it registered again as the same machine")
  public void registeredAgain(String name) {
    VirtualMachine vm = vms.get(name);
    Matcher line = awaitConsole(vm, "the installed system of " + name + " to register", Timeouts.VM_BOOT_TO_REGISTRATION,
        Pattern.compile(REGISTERED.pattern() + "|" + INSTALL_ERROR.pattern()));
    assertThat(line.group()).as("what the register client of %s printed", name).startsWith(
        "elemental-register: registered");
    String before = vms.inventoryName(name).orElseThrow();
    assertThat(line.group(1)).as("the inventory %s registered to after the install", name).isEqualTo(before);
    milestone("registered again", vm);
    MachineInventory inventory = registering.inventoryOf(name);
    assertThat(inventory.getMetadata().getUid()).as("the MachineInventory of %s after the install", name)
        .isEqualTo(scope.recall("inventory uid of " + name));
    assertThat(registering.inventories()).as("inventories in the namespace").hasSize(1);
    logMilestones(name);
  }

  /** Every milestone so far, in order, as one line of the report. */
  void logMilestones(String name) {
    scenario.log(name + " since power-on: " + milestones.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(" → ", "registered (live) " + scope.recall("live registration of " + name) + " → ",
            "")));
  }

  @Then("the disk {string} of {string} has the partitions {string}")
  public void partitions(String device, String name, String labels) {
    String out = guest(name, "lsblk -nro LABEL " + device + "; echo ---; blkid -s LABEL -o value");
    for (String label : labels.split(",\\s*")) {
      assertThat(out).as("lsblk and blkid in %s", name).contains(label);
    }
    String gpt = guest(name, "lsblk -nro PARTLABEL,PARTTYPE " + device);
    assertThat(gpt).as("GPT names and types of %s", device)
        .contains("efi c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "oem", "recovery", "state", "persistent");
  }

  @Then("{string} runs its {string} snapshot read-only from a loop device, with overlays on \\/etc, \\/var and \\/srv")
  public void immutableRoot(String name, String mode) {
    String out = guest(name, "test -f /run/elemental/" + mode + "_mode && echo mode-marker; test -f /run/cos/" + mode
        + "_mode && echo cos-marker; findmnt -no SOURCE,OPTIONS /; for d in /etc /var /srv; do findmnt -no TARGET,FSTYPE"
        + " $d; done; touch /usr/written 2>/dev/null && echo root-writable || echo root-read-only");
    assertThat(out).as("the root of %s", name).contains("mode-marker", "cos-marker", "root-read-only")
        .containsPattern("/dev/loop\\d+\\s+ro[ ,]").containsPattern("/etc\\s+overlay").containsPattern("/var\\s+overlay")
        .containsPattern("/srv\\s+overlay");
  }

  @Then("{string} keeps {string} across reboots on COS_PERSISTENT and its GRUB environment in \\/oem\\/grubenv")
  public void persistentAndOem(String name, String path) {
    String out = guest(name, "findmnt -no SOURCE " + path + "; blkid -s LABEL -o value $(findmnt -no SOURCE " + path
        + " | sed 's/\\[.*//'); findmnt -no SOURCE /oem; head -c 25 /oem/grubenv; echo; wc -c < /oem/grubenv;"
        + " cat /oem/registration/config.yaml >/dev/null && echo registration-config;"
        + " grep -q initialRegistration /oem/registration/state.yaml && echo registration-state");
    // The live registration's state came along: the installed system's client sends Update, not a new registration.
    assertThat(out).as("persistent paths and /oem of %s", name).contains("COS_PERSISTENT", "# GRUB Environment Block",
        "1024", "registration-config", "registration-state");
  }

  /** Install arms boot assessment; the first healthy boot of the active snapshot ends it. */
  @Then("the boot assessment of {string} finds its {string} boot healthy and ends the trial")
  public void bootAssessed(String name, String entry) {
    VirtualMachine vm = vms.get(name);
    Matcher line = awaitConsole(vm, "the boot assessment of " + name, Timeouts.VM_BOOT_TO_REGISTRATION,
        Pattern.compile("elemental: boot of " + Pattern.quote(entry) + " is healthy|elemental: ERROR: [^\\n]*"));
    assertThat(line.group()).as("what the boot assessment of %s printed", name).startsWith("elemental: boot of");
    String env = guest(name, "grep -a = /oem/grubenv || true");
    assertThat(env).as("/oem/grubenv of %s after the assessment", name)
        .doesNotContain("boot_assessment_check=yes").doesNotContain("last_boot_attempt=");
  }

  private void keepInventoryUid(String name) {
    scope.remember("live registration of " + name, String.format(Locale.ROOT, "%.1f s", vms.get(name).secondsSincePowerOn()));
    scope.remember("inventory uid of " + name, registering.inventoryOf(name).getMetadata().getUid());
  }

  /** A milestone of the scenario's journey; one reached again (a second reboot) is numbered. */
  void milestone(String what, VirtualMachine vm) {
    String key = what;
    for (int n = 2; milestones.containsKey(key); n++) key = what + " (" + n + ")";
    milestones.put(key, vm.secondsSincePowerOn());
    scenario.log(String.format(Locale.ROOT, "%s: power-on to %s in %.1f s", vm.name(), what, vm.secondsSincePowerOn()));
  }

  /** Runs {@code command} in the guest once SSH answers; fails with what it printed unless it exits 0. */
  String guest(String name, String command) {
    return guestCommands.run(name, command);
  }

  /** Waits for a console line; a timeout or a dead QEMU fails with the last 50 console lines. */
  Matcher awaitConsole(VirtualMachine vm, String what, Duration timeout, Pattern pattern) {
    try {
      return scope.waits().until(what, timeout, () -> {
        if (!vm.isRunning()) throw new Waits.Abort("VM " + vm.name() + " stopped running");
        return new ConsoleState(vm.console().find(pattern).orElse(null), vm.console().tail(1));
      }, state -> state.match() != null).match();
    } catch (ConditionTimeoutException | Waits.Abort e) {
      throw new AssertionError("gave up waiting for " + what + " (" + e.getMessage() + "). Last 50 console lines of "
          + vm.name() + " (whole log attached, and at " + vm.console().log() + "):\n" + vm.console().tail(50), e);
    }
  }

  /**
   * OVMF under TCG has been seen to hang silently on a warm reboot (once in about ten reboots:
   * nothing on the console after the kernel's restart, not even the firmware's screen clear). The
   * reset line did not revive it, so this does what one does to such a board: power it off and on,
   * once, with its disks, NVRAM and TPM state kept. The report says so, with what QEMU said of the
   * hung guest, so the hang can be studied.
   */
  private void throughFirmware(VirtualMachine vm, String name) {
    try {
      scope.waits().until(name + "'s firmware to start a boot entry", FIRMWARE,
          () -> vm.console().find(FIRMWARE_STARTED).isPresent());
    } catch (ConditionTimeoutException e) {
      scenario.log("WARNING: the firmware of " + name + " printed no boot line " + FIRMWARE.toSeconds()
          + " s after the reboot (an OVMF hang under TCG); QEMU says: " + vm.diagnostics()
          + ". Power-cycling it, as one would a hung board");
      vm.powerCycle();
      awaitConsole(vm, name + "'s firmware to start a boot entry after the power cycle", FIRMWARE_AFTER_POWER_CYCLE,
          FIRMWARE_STARTED);
    }
  }

  private record ConsoleState(Matcher match, String lastLine) {
    @Override
    public String toString() {
      return match != null ? match.group() : "console: " + lastLine.strip();
    }
  }
}
