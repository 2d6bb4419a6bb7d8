package io.elemental.conformance.harness.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.elemental.conformance.node.agent.CommandLauncher;
import io.elemental.conformance.node.agent.FileApplier;
import io.elemental.conformance.node.agent.ProcessLauncher;
import io.elemental.conformance.node.agent.InstructionRunner;
import io.elemental.conformance.node.agent.PlanApplier;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A simulated machine's system agent: the node's plan engine, reaching the machine's plan
 * Secret with the token its registration answer carried (so the registration's Role is what
 * allows it), writing plan files under the machine's root. One instance per agent start: its
 * first pass is forced, as the real agent's is. Each {@link #runOnce()} is one pass of the
 * real agent's loop, driven by the scenario instead of a 5 s timer.
 */
public final class SimulatedAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);
  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final PlanApplier applier;

  private SimulatedAgent(KubernetesClient client, String namespace, String secretName, PlanApplier applier) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.applier = applier;
  }

  /**
   * Starts the agent of {@code machine} from its registration answer. The API server is reached
   * directly at {@code cluster}'s URL; a real agent goes through Rancher's /k8s/clusters/local.
   */
  public static SimulatedAgent start(SimulatedMachine machine, String registrationAnswer, Config cluster) {
    return start(machine, registrationAnswer, cluster, new ProcessLauncher());
  }

  /** As above, with {@code commands} running the plan's instructions. */
  static SimulatedAgent start(SimulatedMachine machine, String registrationAnswer, Config cluster,
      CommandLauncher commands) {
    JsonNode agent = readAgentSection(registrationAnswer);
    Config config = new ConfigBuilder()
        .withMasterUrl(cluster.getMasterUrl())
        .withCaCertData(cluster.getCaCertData())
        .withCaCertFile(cluster.getCaCertFile())
        .withOauthToken(agent.path("token").asText())
        .build();
    PlanApplier applier = new PlanApplier(new FileApplier(machine.root()),
        new InstructionRunner(machine.root().resolve("var/lib/rancher/agent/work"), InstructionRunner.DEFAULT_TIMEOUT,
            commands));
    return new SimulatedAgent(new KubernetesClientBuilder().withConfig(config).build(),
        agent.path("secret-namespace").asText(), agent.path("secret-name").asText(), applier);
  }

  /** One pass: read the plan Secret, apply when the protocol says so, write back what changed. */
  public PlanApplier.Result runOnce() {
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).require();
    Map<String, byte[]> data = new HashMap<>();
    if (secret.getData() != null) secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    try {
      PlanApplier.Result result = applier.apply(data);
      if (result.changed(data)) {
        Map<String, String> encoded = new HashMap<>();
        result.data().forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        secret.setData(encoded);
        // An update on the version read: a plan replaced meanwhile is a conflict, not overwritten.
        // As the real agent, it is left to the next pass, which reads the new plan.
        try {
          client.secrets().inNamespace(namespace).resource(secret).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) throw e;
          LOG.info("plan Secret {} changed while its plan was applied; the next pass applies the new one", secretName);
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("the agent could not apply the plan of " + secretName + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readAgentSection(String registrationAnswer) {
    try {
      JsonNode agent = new YAMLMapper().readTree(registrationAnswer).path("elemental").path("system-agent");
      if (agent.path("token").asText().isEmpty() || agent.path("secret-name").asText().isEmpty()) {
        throw new IllegalStateException("the registration answer has no elemental.system-agent token and secret-name");
      }
      return agent;
    } catch (IOException e) {
      throw new IllegalStateException("the registration answer is not YAML: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
