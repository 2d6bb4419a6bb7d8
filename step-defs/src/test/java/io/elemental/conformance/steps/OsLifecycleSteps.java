package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.node.toolkit.BootSelection;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.SnapshotRecord;
import io.elemental.conformance.node.toolkit.StateFile;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine's OS from the disk's point of view: the OS images in the registry, the install after
 * registration, what booted (entry, snapshot, mode), the partition table, state.yaml, and files
 * that do or do not outlive a reboot.
 */
public class OsLifecycleSteps {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final long GIB = 1024L * 1024 * 1024;
  private static final Pattern DISK = Pattern.compile("(\\S+) of (\\d+) GiB");

  private final ScenarioScope scope;
  private final Machines machines;
  private final VirtualMachines vms;
  private final ObservedMachines observed;
  private final GuestCommands guest;
  private final VirtualMachineInstallSteps vmSteps;
  private final RegistrationSteps registering;

  public OsLifecycleSteps(ScenarioScope scope, Machines machines, VirtualMachines vms, ObservedMachines observed,
      GuestCommands guest, RegistrationSteps registering, VirtualMachineInstallSteps vmSteps) {
    this.vmSteps = vmSteps;
    this.guest = guest;
    this.scope = scope;
    this.machines = machines;
    this.vms = vms;
    this.observed = observed;
    this.registering = registering;
  }

  @Given("the OS image {string} is in the registry")
  public void osImage(String version) {
    scope.remember(imageKey(version), scope.environment().simOsImages().reference(version, true));
  }

  @Given("the OS images {string} and {string} are in the registry")
  public void osImages(String first, String second) {
    osImage(first);
    osImage(second);
  }

  @Given("the OS image {string} whose health check fails is in the registry")
  public void unhealthyOsImage(String version) {
    scope.remember(imageKey(version), scope.environment().simOsImages().reference(version, false));
  }

  /** The registry reference of an OS image version the scenario put in the registry. */
  String image(String version) {
    return scope.recall(imageKey(version));
  }

  @When("the machine {string} boots the seed image of {string} built from {string}")
  public void bootsSeedImage(String machine, String registration, String version) {
    boot(machine, registration, version, SimulatedMachine.create(machine, scope.environment().settings().workDir(),
        UUID.randomUUID().toString(), RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms()));
  }

  @When("the machine {string} with a {int} GiB disk boots the seed image of {string} built from {string}")
  public void bootsWithDisk(String machine, int gib, String registration, String version) {
    boot(machine, registration, version, SimulatedMachine.create(machine, scope.environment().settings().workDir(),
        UUID.randomUUID().toString(), RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms(),
        gib * GIB));
  }

  /** {@code disks}: e.g. {@code /dev/vda of 8 GiB and /dev/vdb of 64 GiB}, in the kernel's order. */
  @When("the machine {string} with the disks {string} boots the seed image of {string} built from {string}")
  public void bootsWithDisks(String machine, String disks, String registration, String version) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (String disk : disks.split("\\s*(,|\\band\\b)\\s*")) {
      Matcher m = DISK.matcher(disk.strip());
      if (!m.matches()) throw new IllegalArgumentException("a disk is '<name> of <N> GiB': '" + disk + "'");
      sizes.put(m.group(1), Long.parseLong(m.group(2)) * GIB);
    }
    boot(machine, registration, version, SimulatedMachine.create(machine, scope.environment().settings().workDir(),
        UUID.randomUUID().toString(), RegistrationSteps.randomMac(), Map.of(), Map.of(), scope.environment().tpms(),
        sizes));
  }

  @Given("the machine {string} booted the seed image of {string} built from {string} and installed it")
  public void installed(String machine, String registration, String version) {
    bootsSeedImage(machine, registration, version);
    registering.assertRegistered(machine);
    assertThat(machines.get(machine).booted()).as("%s booted from its disk after installing; console:\n%s", machine,
        String.join("\n", machines.get(machine).console())).isPresent();
  }

  private void boot(String name, String registration, String version, SimulatedMachine machine) {
    machine.bootSeedImage(registering.seedConfig(registration), image(version));
    machines.add(machine);
    machines.bootedFrom(name, registration);
    machines.register(name);
  }

  @Then("{string} registered live, then again from its disk as the same MachineInventory")
  public void registeredTwice(String machine) {
    registering.assertRegistered(machine);
    List<String> console = machines.get(machine).console();
    int live = indexOf(console, "elemental-register: registered (live)");
    int installed = indexOf(console, "elemental-register: installed to");
    int again = indexOf(console, "elemental-register: registered (active)");
    assertThat(live).as("registered live; console:\n%s", String.join("\n", console)).isNotNegative();
    assertThat(installed).as("installed after registering").isGreaterThan(live);
    assertThat(again).as("registered again after booting the disk").isGreaterThan(installed);
    // An Update keeps the inventory; a second Create would have been refused as a duplicate.
    assertThat(registering.inventories()).hasSize(1);
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) return i;
    }
    return -1;
  }

  /** A VM prints in its own time, so its console is watched for the line; a simulated machine has printed already. */
  @Then("the console of {string} shows {string}")
  public void consoleShows(String machine, String text) {
    if (vms.has(machine)) {
      var console = vms.get(machine).console();
      scope.waits().until("the console of " + machine + " to show \"" + text + "\"", Timeouts.VM_BOOT_TO_REGISTRATION,
          () -> console.find(Pattern.compile(Pattern.quote(text))).isPresent());
      return;
    }
    List<String> console = machines.get(machine).console();
    assertThat(console).as("console of %s", machine).anyMatch(line -> line.contains(text));
  }

  @Then("the disk of {string} has the GPT partitions:")
  public void gptPartitions(String machine, DataTable table) throws Exception {
    assertGpt(machines.get(machine).disk(), table);
  }

  @Then("the disk {string} of {string} has the GPT partitions:")
  public void namedDiskGptPartitions(String disk, String machine, DataTable table) throws Exception {
    assertGpt(machines.get(machine).disk(disk), table);
  }

  private static void assertGpt(SimulatedDisk disk, DataTable table) throws Exception {
    Process sfdisk = new ProcessBuilder("sfdisk", "--json", disk.gptImage().toString()).redirectErrorStream(true).start();
    JsonNode dump = JSON.readTree(sfdisk.getInputStream());
    assertThat(sfdisk.waitFor()).as("sfdisk --json %s", disk.gptImage()).isZero();
    assertThat(dump.at("/partitiontable/label").asText()).isEqualTo("gpt");
    List<String> names = new ArrayList<>();
    dump.at("/partitiontable/partitions").forEach(p -> names.add(p.path("name").asText()));
    List<Map<String, String>> expected = table.asMaps();
    assertThat(names).containsExactlyElementsOf(expected.stream().map(r -> r.get("name")).toList());
    for (Map<String, String> row : expected) {
      assertThat(disk.fs(row.get("label"))).as("file system labelled %s", row.get("label")).isDirectory();
    }
  }

  @Then("the disk of {string} has no partition table")
  public void noPartitionTable(String machine) {
    assertThat(machines.get(machine).disk().isPartitioned()).as("%s's disk is partitioned", machine).isFalse();
  }

  @Then("the disk(s) {string} of {string} has/have no partition table")
  public void namedDisksHaveNoPartitionTable(String disks, String machine) {
    for (String disk : disks.split("\\s*(,|\\band\\b)\\s*")) {
      assertThat(machines.get(machine).disk(disk).isPartitioned()).as("%s's disk %s is partitioned", machine, disk)
          .isFalse();
    }
  }

  @Then("{string} is powered off")
  public void isPoweredOff(String machine) {
    assertThat(machines.get(machine).isOff()).as("%s is off; console:\n%s", machine,
        String.join("\n", machines.get(machine).console())).isTrue();
  }

  /**
   * The file holds the registration's cloud-config as the real client writes it: a cloud-init
   * file ({@code #cloud-config} first) with the same YAML tree as the MachineRegistration's.
   */
  @Then("{string} has the cloud-config of the MachineRegistration {string} in {string}")
  public void hasCloudConfig(String machine, String registration, String path) throws Exception {
    String written = observed.get(machine).file(path).orElseThrow(() -> new AssertionError(machine + " has no " + path));
    assertThat(written).as("%s on %s", path, machine).startsWith("#cloud-config\n");
    MachineRegistration mr = scope.client().resources(MachineRegistration.class)
        .inNamespace(scope.namespaceOf(registration)).withName(registration).get();
    assertThat(YAML.readTree(written)).as("%s on %s, as YAML", path, machine).isEqualTo(mr.getSpec().config.cloudConfig);
  }

  @Then("{string} runs the live system of the seed image")
  public void runsLive(String machine) {
    assertThat(observed.get(machine).bootedEntry()).as("what %s booted", machine).isEqualTo("live");
  }

  @Then("{string} runs snapshot {int} of {string}, booted from the {string} entry in {word} mode")
  public void runsSnapshot(String machine, int snapshot, String version, String entry, String mode) {
    ObservedMachine m = observed.get(machine);
    assertThat(m.bootedEntry()).as("the GRUB entry %s booted (console attached to the report)", machine)
        .isEqualTo(entry);
    assertThat(m.cmdline()).as("kernel command line of %s", machine).contains("elemental.mode=" + mode);
    assertThat(m.hasModeMarker(mode)).as("/run/elemental/%s_mode on %s", mode, machine).isTrue();
    assertThat(m.osRelease()).as("os-release of %s", machine).containsEntry("VERSION_ID", version);
    int bootedSnapshot = "active".equals(entry) ? m.activeSnapshot().orElseThrow()
        : Integer.parseInt(entry.replace("passive", ""));
    assertThat(bootedSnapshot).as("snapshot %s booted", machine).isEqualTo(snapshot);
  }

  @Then("the state file of {string} records snapshot {int} as {word}, made by {string}")
  public void stateRecords(String machine, int snapshot, String activity, String action) {
    SnapshotRecord record = state(machine).snapshot(snapshot)
        .orElseThrow(() -> new AssertionError("state.yaml of " + machine + " has no snapshot " + snapshot));
    assertThat(record.active()).as("snapshot %d active", snapshot).isEqualTo("active".equals(activity));
    assertThat(record.fromAction()).isEqualTo(action);
  }

  @Then("the state file of {string} records snapshot {int} from the image {string}")
  public void stateSource(String machine, int snapshot, String version) {
    SnapshotRecord record = state(machine).snapshot(snapshot).orElseThrow();
    assertThat(record.source()).isEqualTo("oci://" + image(version));
    assertThat(record.digest()).startsWith("sha256:");
  }

  @Then("the disk of {string} holds the snapshots {string}")
  public void holdsSnapshots(String machine, String ids) {
    List<Integer> expected = Arrays.stream(ids.split("\\s*(,|and)\\s*")).map(String::trim).map(Integer::parseInt).toList();
    assertThat(observed.get(machine).snapshotIds()).as("snapshots on COS_STATE of %s", machine).isEqualTo(expected);
    assertThat(state(machine).snapshots()).extracting(SnapshotRecord::id).isEqualTo(expected);
  }

  @When("{string} reboots")
  public void reboots(String machine) throws Exception {
    if (vms.has(machine)) {
      vmSteps.rebootOnRequest(machine);
      return;
    }
    machines.get(machine).reboot();
  }

  @When("{string} is powered on")
  public void poweredOn(String machine) throws Exception {
    if (vms.has(machine)) {
      vmSteps.powerOn(machine);
      return;
    }
    machines.get(machine).powerOn();
  }

  /** A VM's file is written over SSH and synced, as a user of the machine would leave it. */
  @When("{string} writes {string} to {string}")
  public void writes(String machine, String content, String path) throws Exception {
    if (vms.has(machine)) {
      String out = guest.run(machine, "mkdir -p \"$(dirname '" + path + "')\" && printf '%s' '" + content + "' > '"
          + path + "' && sync && cat '" + path + "'");
      assertThat(out).as("%s on %s after writing it", path, machine).isEqualTo(content);
      return;
    }
    Path file = inRoot(machine, path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Then("{string} has the file {string} containing the registration URL of {string}")
  public void hasRegistrationUrl(String machine, String path, String registration) {
    assertThat(observed.get(machine).file(path)).as("%s on %s", path, machine).hasValueSatisfying(
        text -> assertThat(text).contains(registering.registrationUrl(registration)));
  }

  @Then("{string} has no file {string}")
  public void hasNoFile(String machine, String path) {
    assertThat(observed.get(machine).file(path)).as("%s on %s", path, machine).isEmpty();
  }

  @When("{string} is told to boot the {string} entry next")
  public void bootNext(String machine, String entry) {
    if (vms.has(machine)) {
      guest.run(machine, "grub2-editenv /oem/grubenv set " + BootSelection.NEXT_ENTRY + "=" + entry + " && sync");
      return;
    }
    // What `grub2-editenv /oem/grubenv set next_entry=...` does on a machine.
    GrubEnv.read(inRoot(machine, "/oem/grubenv")).set(BootSelection.NEXT_ENTRY, entry).write();
  }

  /** GRUB clears next_entry as it boots it: that is what makes it once. */
  @Then("the GRUB environment of {string} no longer names a next entry")
  public void nextEntryCleared(String machine) {
    String grubenv = observed.get(machine).file("/oem/grubenv")
        .orElseThrow(() -> new AssertionError(machine + " has no /oem/grubenv"));
    assertThat(GrubEnv.parse(grubenv, machine + ":/oem/grubenv").getOrDefault(BootSelection.NEXT_ENTRY, ""))
        .as("%s in /oem/grubenv of %s", BootSelection.NEXT_ENTRY, machine).isEmpty();
  }

  private Path inRoot(String machine, String path) {
    return machines.get(machine).root().resolve(path.replaceFirst("^/+", ""));
  }

  private StateFile state(String machine) {
    return observed.get(machine).stateFile();
  }

  private static String imageKey(String version) {
    return "os image " + version;
  }
}
