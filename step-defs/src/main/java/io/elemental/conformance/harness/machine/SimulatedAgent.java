package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.agent.AgentConnection;
import io.elemental.conformance.node.agent.CommandLauncher;
import io.elemental.conformance.node.agent.FileApplier;
import io.elemental.conformance.node.agent.InstructionRunner;
import io.elemental.conformance.node.agent.PlanApplier;
import io.elemental.conformance.node.agent.PlanSecretClient;
import io.elemental.conformance.node.agent.SystemAgent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A simulated machine's system agent: the node's own agent ({@link SystemAgent}), reaching the
 * machine's plan Secret as its registration answer says (through Rancher's
 * {@code /k8s/clusters/local}, with the registration's token and CA), writing plan files under
 * the machine's root. One instance per agent start: its first pass is forced, as the real
 * agent's is. Each {@link #runOnce()} is one pass of the real agent's loop, driven by the
 * scenario instead of a 5 s timer.
 */
public final class SimulatedAgent {
  private final SystemAgent agent;
  private final String secretName;

  private SimulatedAgent(SystemAgent agent, String secretName) {
    this.agent = agent;
    this.secretName = secretName;
  }

  /** Starts the agent of {@code machine} from its registration answer, {@code commands} running the plan's instructions. */
  static SimulatedAgent start(SimulatedMachine machine, String registrationAnswer, CommandLauncher commands) {
    AgentConnection connection = AgentConnection.fromRegistrationAnswer(registrationAnswer);
    PlanApplier applier = new PlanApplier(new FileApplier(machine.root()),
        new InstructionRunner(machine.root().resolve("var/lib/rancher/agent/work"), InstructionRunner.DEFAULT_TIMEOUT,
            commands));
    return new SimulatedAgent(new SystemAgent(new PlanSecretClient(connection), applier), connection.secretName());
  }

  /**
   * Another agent of {@code machine}: one reaching the plan Secret {@code connection} names, with its own work
   * directory (Rancher's system agent, which a bootstrap plan installs: in @sim the reference agent again).
   */
  static SimulatedAgent connected(SimulatedMachine machine, AgentConnection connection, java.nio.file.Path workDir,
      CommandLauncher commands) {
    PlanApplier applier = new PlanApplier(new FileApplier(machine.root()),
        new InstructionRunner(workDir, InstructionRunner.DEFAULT_TIMEOUT, commands));
    return new SimulatedAgent(new SystemAgent(new PlanSecretClient(connection), applier), connection.secretName());
  }

  /** One pass: read the plan Secret, apply when the protocol says so, write back what changed. */
  public PlanApplier.Result runOnce() {
    try {
      return agent.runOnce();
    } catch (IOException e) {
      throw new UncheckedIOException("the agent could not apply the plan of " + secretName + ": " + e.getMessage(), e);
    }
  }
}
