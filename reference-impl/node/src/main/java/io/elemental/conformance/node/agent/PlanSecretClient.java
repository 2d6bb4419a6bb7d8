package io.elemental.conformance.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import io.elemental.conformance.node.register.ClientTls;
import io.elemental.conformance.node.register.RegistrationException;
import javax.net.ssl.SSLContext;

/**
 * The agent's only Kubernetes calls: read its plan Secret, and write it back on the version it
 * read (a plan replaced meanwhile is a 409, left to the next pass). Plain JDK HTTP with the
 * registration's token, so the node jar needs no Kubernetes client.
 */
public final class PlanSecretClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final AgentConnection connection;
  private final HttpClient http;

  public PlanSecretClient(AgentConnection connection) {
    this.connection = connection;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (!connection.caPem().isEmpty()) builder.sslContext(trusting(connection.caPem()));
    this.http = builder.build();
  }

  /** The Secret as read: its JSON (for the write back) and its data, decoded. */
  public record PlanSecret(ObjectNode json, Map<String, byte[]> data) {
    public String resourceVersion() {
      return json.path("metadata").path("resourceVersion").asText();
    }
  }

  public PlanSecret read() throws IOException {
    HttpResponse<String> response = send(request().GET().build());
    if (response.statusCode() != 200) throw failure("read", response);
    ObjectNode json = (ObjectNode) JSON.readTree(response.body());
    Map<String, byte[]> data = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = json.path("data").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      data.put(field.getKey(), Base64.getDecoder().decode(field.getValue().asText()));
    }
    return new PlanSecret(json, data);
  }

  /** Writes {@code data} over what was read; false when the Secret changed meanwhile (409). */
  public boolean write(PlanSecret read, Map<String, byte[]> data) throws IOException {
    ObjectNode json = read.json().deepCopy();
    ObjectNode encoded = json.putObject("data");
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
    HttpResponse<String> response = send(request().header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json))).build());
    if (response.statusCode() == 409) return false;
    if (response.statusCode() != 200) throw failure("write", response);
    return true;
  }

  private HttpRequest.Builder request() {
    String base = connection.server().toString().replaceAll("/$", "");
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + connection.namespace() + "/secrets/"
            + connection.secretName()))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + connection.token())
        .header("Accept", "application/json");
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private IOException failure(String what, HttpResponse<String> response) {
    String hint = switch (response.statusCode()) {
      case 401 -> ". Fix: the registration's token is no longer valid; register the machine again";
      case 403 -> ". Fix: the registration's Role must allow get and update on this Secret";
      case 404 -> ". Fix: the MachineInventory (and its plan Secret) is gone; register the machine again";
      default -> "";
    };
    return new IOException("cannot " + what + " plan Secret " + connection.namespace() + "/" + connection.secretName()
        + " at " + connection.server() + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()) + hint);
  }

  private static String abbreviate(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  private static SSLContext trusting(String pem) {
    try {
      return ClientTls.trusting(pem);
    } catch (RegistrationException e) {
      throw new IllegalArgumentException("the agent's CA: " + e.getMessage(), e);
    }
  }
}
