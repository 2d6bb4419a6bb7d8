package io.elemental.conformance.node.cli;

import io.elemental.conformance.node.agent.AgentConnection;
import io.elemental.conformance.node.agent.FileApplier;
import io.elemental.conformance.node.agent.InstructionRunner;
import io.elemental.conformance.node.agent.PlanApplier;
import io.elemental.conformance.node.agent.PlanSecretClient;
import io.elemental.conformance.node.agent.ProcessLauncher;
import io.elemental.conformance.node.agent.SystemAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code elemental-system-agent} of the reference OS: applies the machine's plan every
 * {@code --interval}, reaching its plan Secret as {@code elemental_connection.json} says.
 * A pass that fails (network, API server) is logged and the next one tries again.
 */
@Command(name = "elemental-system-agent", mixinStandardHelpOptions = true,
    description = "Applies this machine's plan from its plan Secret (reference implementation).")
public final class ElementalSystemAgentMain implements Callable<Integer> {
  @Option(names = "--connection", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.",
      defaultValue = "/var/lib/elemental/agent/elemental_connection.json")
  Path connection;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", description = "Where plan files go (default /).")
  Path root;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "/var/lib/rancher/agent/work",
      description = "The instructions' working directory (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--interval", defaultValue = "5", description = "Seconds between passes (default ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(names = "--once", description = "One pass, then exit (0 when it applied or had nothing to do).")
  boolean once;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ElementalSystemAgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    FileTime written = lastModified();
    AgentConnection current = AgentConnection.read(connection);
    SystemAgent agent = agentFor(current);
    while (true) {
      // The agent starts from the last registration's connection; a new registration (after a
      // reset, say) may write another, and the next pass follows it, starting over as a new agent.
      FileTime now = lastModified();
      AgentConnection latest = now.equals(written) ? current : latestConnection(current);
      written = now;
      if (!latest.equals(current)) {
        current = latest;
        agent = agentFor(current);
        System.out.println("elemental-system-agent: the connection changed; now reading the plan Secret "
            + current.namespace() + "/" + current.secretName());
      }
      try {
        PlanApplier.Result result = agent.runOnce();
        // Greppable lines for what changed; a pass with nothing to do prints nothing (one every 5 s).
        if (result.action() == PlanApplier.Action.APPLIED || result.action() == PlanApplier.Action.FAILED) {
          System.out.println("elemental-system-agent: plan " + result.checksum() + " " + result.action());
        }
        if (once) return 0;
      } catch (java.io.IOException e) {
        // A refused connection carries no message of its own: name the exception then.
        System.out.println("elemental-system-agent: ERROR: " + (e.getMessage() != null ? e.getMessage() : e));
        if (once) return 1;
      }
      // The real agent's loop period: not a stand-in for a condition.
      Thread.sleep(Duration.ofSeconds(intervalSeconds).toMillis());
    }
  }

  private SystemAgent agentFor(AgentConnection connection) {
    return new SystemAgent(new PlanSecretClient(connection),
        new PlanApplier(new FileApplier(root), new InstructionRunner(workDir, InstructionRunner.DEFAULT_TIMEOUT,
            new ProcessLauncher(line -> System.out.println("elemental-system-agent: | " + line)))));
  }

  /** When the connection file was last written (the epoch while it is missing): read again only when it changes. */
  private FileTime lastModified() {
    try {
      return Files.getLastModifiedTime(connection);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** The connection file as it is now; while it is missing or being rewritten, the one in use. */
  private AgentConnection latestConnection(AgentConnection inUse) {
    try {
      return AgentConnection.read(connection);
    } catch (IllegalArgumentException e) {
      return inUse;
    }
  }
}
