package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.fixtures.vm.GuestShell;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import io.elemental.conformance.harness.support.Timeouts;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real QEMU machine reset from recovery: the operator's reset plan applied by the guest's own
 * system agent, the recovery boot's {@code elemental-register --reset}, and the reset system
 * registering as a new machine, checked on the console, over SSH and in the cluster.
 */
public class VirtualMachineResetSteps {
  /** What the recovery system's register client prints once the reset is done (the @sim tier prints the same). */
  private static final Pattern RESET = Pattern.compile("elemental-register: reset from recovery[^\\n]*");
  /** From the recovery boot's start to the end of the reset under TCG: boot, unpacking the recovery image, a snapshot. */
  private static final Duration RESET_FROM_RECOVERY = Duration.ofMinutes(10);
  /** Where the reset plan's cloud-config goes (the operator's ResetPlan.CLOUD_CONFIG_PATH). */
  private static final String RESET_CLOUD_CONFIG = "/oem/reset-cloud-config.yaml";

  private final ScenarioScope scope;
  private final VirtualMachines vms;
  private final RegistrationSteps registering;
  private final VirtualMachineInstallSteps journey;
  private Scenario scenario;

  public VirtualMachineResetSteps(ScenarioScope scope, VirtualMachines vms, RegistrationSteps registering,
      VirtualMachineInstallSteps journey) {
    this.scope = scope;
    this.vms = vms;
    this.registering = registering;
    this.journey = journey;
  }

  @Before
  public void keep(Scenario scenario) {
    this.scenario = scenario;
  }

  /**
   * The reset plan as the guest's own agent applies it: its file on /oem, then its instructions,
   * {@code grub2-editenv /oem/grubenv set next_entry=recovery} and {@code shutdown -r +1} (a reboot
   * logind holds for a minute, in which the agent reports the plan applied).
   */
  @Then("the system agent of {string} applies the reset plan: the reset cloud-config on \\/oem, GRUB's next entry {string} and a reboot in a minute")
  public void appliesResetPlan(String name, String entry) {
    VirtualMachine vm = vms.get(name);
    String command = "test -s " + RESET_CLOUD_CONFIG + " && echo cloud-config; grub-editenv /oem/grubenv list;"
        + " if [ -f /run/systemd/shutdown/scheduled ]; then . /run/systemd/shutdown/scheduled;"
        + " echo \"scheduled=$MODE in $(( USEC / 1000000 - $(date +%s) )) s\"; fi; true";
    GuestShell.Result seen = scope.waits().until("the system agent of " + name + " to apply the reset plan",
        Timeouts.VM_AGENT_PASS, () -> vm.shell().run(command, Duration.ofSeconds(30)),
        r -> r.exitCode() == 0 && r.stdout().contains("cloud-config") && r.stdout().contains("scheduled="));
    scenario.log("$ " + command + "\n" + seen.stdout() + seen.stderr());
    journey.milestone("reset plan applied", vm);
    assertThat(seen.stdout()).as("what %s holds once its agent applied the reset plan", name)
        .contains("next_entry=" + entry).containsPattern("scheduled=reboot in \\d+ s");
    int left = Integer.parseInt(seen.stdout().replaceAll("(?s).*scheduled=reboot in (-?\\d+) s.*", "$1"));
    assertThat(left).as("seconds until the reboot shutdown -r +1 scheduled on %s", name).isBetween(0, 60);
  }

  @Then("the console of {string} shows that it reset from recovery")
  public void resetFromRecovery(String name) {
    VirtualMachine vm = vms.get(name);
    Matcher line = journey.awaitConsole(vm, "the recovery system of " + name + " to reset", RESET_FROM_RECOVERY,
        Pattern.compile(RESET.pattern() + "|" + VirtualMachineInstallSteps.INSTALL_ERROR.pattern()));
    assertThat(line.group()).as("what the recovery system of %s printed", name)
        .startsWith("elemental-register: reset from recovery");
    journey.milestone("reset", vm);
  }

  @Then("the console of {string} shows that it registered again as a new MachineInventory")
  public void registeredAsNew(String name) {
    VirtualMachine vm = vms.get(name);
    Matcher line = journey.awaitConsole(vm, "the reset system of " + name + " to register", Timeouts.VM_BOOT_TO_REGISTRATION,
        Pattern.compile(VirtualMachineInstallSteps.REGISTERED.pattern() + "|"
            + VirtualMachineInstallSteps.INSTALL_ERROR.pattern()));
    assertThat(line.group()).as("what the register client of %s printed", name).startsWith(
        "elemental-register: registered");
    vms.registeredAs(name, line.group(1));
    journey.milestone("registered as new", vm);
    MachineInventory inventory = registering.inventoryOf(name);
    assertThat(inventory.getMetadata().getUid()).as("the MachineInventory of %s after the reset", name)
        .isNotEqualTo(scope.recall("inventory uid of " + name));
    assertThat(registering.inventories()).as("inventories in the namespace").hasSize(1);
    journey.logMilestones(name);
  }
}
