package io.elemental.conformance.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * How the system agent reaches its plan Secret: the local cluster's URL through Rancher
 * ({@code <server-url>/k8s/clusters/local}), the CA to trust, the registration's token, and the
 * Secret's namespace and name. Elemental keeps it in
 * {@code /var/lib/elemental/agent/elemental_connection.json} as {@code {kubeConfig, namespace,
 * secretName}}, made from the registration answer's {@code elemental.system-agent} section.
 */
public record AgentConnection(URI server, String caPem, String token, String namespace, String secretName) {
  public static final Path DEFAULT_PATH = Path.of("/var/lib/elemental/agent/elemental_connection.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * From the registration answer: {@code elemental.system-agent} (url, token, secret-name,
   * secret-namespace) and the CA the registration trusted ({@code elemental.registration.ca-cert}).
   */
  public static AgentConnection fromRegistrationAnswer(String answer) {
    JsonNode root;
    try {
      root = YAML.readTree(answer);
    } catch (IOException e) {
      throw new IllegalArgumentException("the registration answer is not YAML: " + e.getMessage(), e);
    }
    JsonNode agent = root.path("elemental").path("system-agent");
    for (String key : new String[] {"url", "token", "secret-name", "secret-namespace"}) {
      if (agent.path(key).asText().isEmpty()) {
        throw new IllegalArgumentException("the registration answer has no elemental.system-agent." + key
            + ": the operator did not say how to reach the plan Secret");
      }
    }
    return new AgentConnection(URI.create(agent.path("url").asText()),
        root.path("elemental").path("registration").path("ca-cert").asText(""), agent.path("token").asText(),
        agent.path("secret-namespace").asText(), agent.path("secret-name").asText());
  }

  /** Reads {@code elemental_connection.json}: its kubeconfig's first cluster and user. */
  public static AgentConnection read(Path file) {
    try {
      JsonNode connection = JSON.readTree(file.toFile());
      JsonNode kubeconfig = YAML.readTree(connection.path("kubeConfig").asText());
      JsonNode cluster = kubeconfig.path("clusters").path(0).path("cluster");
      String ca = cluster.path("certificate-authority-data").asText("");
      return new AgentConnection(URI.create(cluster.path("server").asText()),
          ca.isEmpty() ? "" : new String(Base64.getDecoder().decode(ca), StandardCharsets.US_ASCII),
          kubeconfig.path("users").path(0).path("user").path("token").asText(),
          connection.path("namespace").asText(), connection.path("secretName").asText());
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a usable elemental_connection.json: " + e.getMessage()
          + ". Fix: register the machine again (elemental-register writes it)", e);
    }
  }

  /** Writes {@code elemental_connection.json} (owner-only: it holds a token). */
  public void write(Path file) throws IOException {
    ObjectNode kubeconfig = JSON.createObjectNode();
    kubeconfig.put("apiVersion", "v1").put("kind", "Config").put("current-context", "agent");
    ObjectNode cluster = kubeconfig.putArray("clusters").addObject().put("name", "cluster").putObject("cluster");
    cluster.put("server", server.toString());
    if (!caPem.isEmpty()) {
      cluster.put("certificate-authority-data", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
    }
    kubeconfig.putArray("users").addObject().put("name", "agent").putObject("user").put("token", token);
    kubeconfig.putArray("contexts").addObject().put("name", "agent").putObject("context")
        .put("cluster", "cluster").put("user", "agent");
    ObjectNode connection = JSON.createObjectNode();
    connection.put("kubeConfig", YAML.writeValueAsString(kubeconfig));
    connection.put("namespace", namespace);
    connection.put("secretName", secretName);
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(connection));
    try {
      Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to restrict
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
