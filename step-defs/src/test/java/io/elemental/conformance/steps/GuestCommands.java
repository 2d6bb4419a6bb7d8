package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.elemental.conformance.fixtures.vm.GuestShell;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import io.elemental.conformance.harness.support.Timeouts;
import java.time.Duration;

/** Commands run in a scenario's VMs over SSH, each one logged in the report with what it printed. */
public class GuestCommands {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final ScenarioScope scope;
  private final VirtualMachines vms;
  private Scenario scenario;

  public GuestCommands(ScenarioScope scope, VirtualMachines vms) {
    this.scope = scope;
    this.vms = vms;
  }

  @Before
  public void keep(Scenario scenario) {
    this.scenario = scenario;
  }

  /**
   * Runs {@code command} in the VM once SSH answers; fails with what it printed unless it exits 0.
   * SSH may be asked for as soon as the initramfs has assembled the root, so the wait for it is a
   * boot's: under TCG on a busy machine sshd starts well over 30 s later.
   */
  String run(String name, String command) {
    VirtualMachine vm = vms.get(name);
    GuestShell.Result result = scope.waits().until("SSH into " + name, Timeouts.VM_BOOT_TO_REGISTRATION,
        () -> vm.shell().run(command, COMMAND_TIMEOUT), r -> r.exitCode() != 255 && r.exitCode() != -1);
    scenario.log("$ " + command + "\n" + result.stdout() + result.stderr());
    assertThat(result.exitCode()).as("exit of '%s' in %s (%s)", command, name, result).isZero();
    return result.stdout();
  }
}
