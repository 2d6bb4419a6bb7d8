package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Scenario;
import io.cucumber.java.Before;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.fixtures.vm.GuestShell;
import io.elemental.conformance.fixtures.vm.SmbiosIdentity;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.harness.support.Waits;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/** Real QEMU machines booting seed images: what their consoles show and what they leave in the cluster. */
public class VirtualMachineSteps {
  /** The register client's own lines on the console (vm-fixtures/os-image). */
  private static final Pattern REGISTERED = Pattern.compile("elemental-register: registered, inventory (\\S+)");
  private static final String ERROR_LINE = "elemental-register: ERROR: ";

  private final ScenarioScope scope;
  private final VirtualMachines vms;
  private final ScenarioSeedImages seedImages;
  private final RegistrationSteps registering;
  private Scenario scenario;

  public VirtualMachineSteps(ScenarioScope scope, VirtualMachines vms, ScenarioSeedImages seedImages,
      RegistrationSteps registering) {
    this.scope = scope;
    this.vms = vms;
    this.seedImages = seedImages;
    this.registering = registering;
  }

  @Before
  public void keep(Scenario scenario) {
    this.scenario = scenario;
  }

  @Given("machines reach the operator at its address on the virtual machines' network")
  public void serverUrlOnGuestNetwork() {
    scope.keepOriginalServerUrl();
    URI current = URI.create(scope.environment().rancher().setting("server-url"));
    String guestUrl = current.getScheme() + "://" + GuestNetwork.HOST_FOR_GUESTS + ":" + current.getPort();
    scope.environment().rancher().serverUrl(guestUrl);
    scope.remember("operator port", Integer.toString(current.getPort()));
  }

  @When("the virtual machine {string} made by {string} with a TPM boots the seed image {string}")
  public void bootWithTpm(String name, String manufacturer, String seedImage) {
    boot(name, manufacturer, true, seedImage);
  }

  @When("the virtual machine {string} made by {string} without a TPM boots the seed image {string}")
  public void bootWithoutTpm(String name, String manufacturer, String seedImage) {
    boot(name, manufacturer, false, seedImage);
  }

  @Then("the console of {string} shows that it registered")
  public void consoleShowsRegistered(String name) {
    VirtualMachine vm = vms.get(name);
    Matcher line = awaitConsole(vm, "the register client of " + name + " to report its inventory", REGISTERED);
    vms.registeredAs(name, line.group(1));
    scenario.log(String.format(Locale.ROOT, "%s: power-on to registered in %.1f s", name, vm.secondsSincePowerOn()));
  }

  @Then("the console of {string} shows the error {string}")
  public void consoleShowsError(String name, String text) {
    VirtualMachine vm = vms.get(name);
    Matcher line = awaitConsole(vm, "the register client of " + name + " to print an error",
        Pattern.compile(Pattern.quote(ERROR_LINE) + "[^\\n]*"));
    assertThat(line.group()).as("the error %s printed", name).contains(text);
    scenario.log(name + " printed, " + String.format(Locale.ROOT, "%.1f", vm.secondsSincePowerOn()) + " s after power-on: "
        + line.group());
  }

  /** Checked from inside the guest, over the harness's SSH channel. */
  @Then("{string} runs the live system of the seed image, with its TPM at \\/dev\\/tpmrm0")
  public void runsLiveSystemWithTpm(String name) {
    VirtualMachine vm = vms.get(name);
    GuestShell.Result result = scope.waits().until("SSH into " + name, Timeouts.RECONCILE,
        () -> vm.shell().run("cat /proc/cmdline; test -f /run/initramfs/live/livecd-cloud-config.yaml"
            + " && echo config-on-the-iso; test -c /dev/tpmrm0 && echo tpm-device", Duration.ofSeconds(20)),
        r -> r.exitCode() != 255 && r.exitCode() != -1);
    assertThat(result.stdout()).as("what %s says of itself (%s)", name, result)
        .contains("root=live:CDLABEL=COS_LIVE", "config-on-the-iso", "tpm-device");
  }

  @Then("{string} has a MachineInventory whose TPM hash is the SHA-256 of its endorsement key")
  public void inventoryKeyedByEk(String name) throws Exception {
    VirtualMachine vm = vms.get(name);
    byte[] ekCert = vm.tpm().orElseThrow(() -> new IllegalStateException(name + " has no TPM")).ekCertificateDer()
        .orElseThrow(() -> new IllegalStateException("the TPM of " + name + " has no EK certificate"));
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(ekCert));
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    MachineInventory inventory = registering.inventoryOf(name);
    assertThat(inventory.getSpec().tpmHash).isEqualTo(expected);
    assertThat(inventory.getSpec().machineHash).isNullOrEmpty();
  }

  @Then("the MachineInventory of {string} is labelled from its SMBIOS")
  public void labelledFromSmbios(String name) {
    SmbiosIdentity identity = vms.get(name).identity();
    assertThat(registering.inventoryOf(name).getMetadata().getLabels())
        .containsEntry("manufacturer", identity.manufacturer().replace(' ', '-'))
        .containsEntry("product", identity.product().replace(' ', '-'))
        .containsEntry("serial", identity.serial());
  }

  private void boot(String name, String manufacturer, boolean withTpm, String seedImage) {
    var iso = seedImages.downloadedIso(seedImage);
    int operatorPort = Integer.parseInt(scope.recall("operator port"));
    VirtualMachine vm = scope.environment().virtualMachines()
        .newMachine(scope.slug(), name, SmbiosIdentity.unique(manufacturer, "Conformance VM"), withTpm)
        .cdrom(iso)
        .forwardHostPort(operatorPort)
        .build();
    vms.add(vm);
    vm.powerOn();
    scenario.log(name + " powered on" + (withTpm ? " with a TPM" : " without a TPM") + "; console: " + vm.console().log());
  }

  /** Waits for a console line; a timeout or a dead QEMU fails with the last 50 console lines. */
  private Matcher awaitConsole(VirtualMachine vm, String what, Pattern pattern) {
    try {
      return scope.waits().until(what, Timeouts.VM_BOOT_TO_REGISTRATION, () -> {
        if (!vm.isRunning()) throw new Waits.Abort("VM " + vm.name() + " stopped running");
        return new ConsoleState(vm.console().find(pattern).orElse(null), vm.console().tail(1));
      }, state -> state.match() != null).match();
    } catch (ConditionTimeoutException | Waits.Abort e) {
      throw new AssertionError("gave up waiting for " + what + " (" + e.getMessage() + "). Last 50 console lines of "
          + vm.name() + " (whole log attached, and at " + vm.console().log() + "):\n" + vm.console().tail(50), e);
    }
  }

  /** What a console wait saw: the match, or else the console's last line (shown while waiting). */
  private record ConsoleState(Matcher match, String lastLine) {
    @Override
    public String toString() {
      return match != null ? match.group() : "console: " + lastLine.strip();
    }
  }
}
