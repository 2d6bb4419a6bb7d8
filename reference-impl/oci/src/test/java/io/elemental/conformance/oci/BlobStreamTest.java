package io.elemental.conformance.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A blob GET against a real HTTP server: the registry's redirect to storage, its token challenge, its errors. */
class BlobStreamTest {
  private HttpServer server;
  private final Map<String, String> authorizationSeen = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/repo/blobs/", exchange -> {
      authorizationSeen.put("registry", header(exchange.getRequestHeaders().get("Authorization")));
      exchange.getResponseHeaders().add("Location", "/storage/layer?signature=abc");
      exchange.sendResponseHeaders(307, -1);
      exchange.close();
    });
    server.createContext("/storage/", exchange -> {
      authorizationSeen.put("storage", header(exchange.getRequestHeaders().get("Authorization")));
      byte[] body = "layer bytes".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/v2/private/blobs/", exchange -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1/token\"");
      byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(401, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void followsTheRedirectToStorageWithoutTheRegistryToken() throws Exception {
    BlobStream.Response response = BlobStream.open(uri("/v2/repo/blobs/sha256:1"), Optional.of("registry-token"));

    assertThat(response.status()).isEqualTo(200);
    try (InputStream body = response.body()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("layer bytes");
    }
    assertThat(authorizationSeen).containsEntry("registry", "Bearer registry-token").containsEntry("storage", "");
  }

  @Test
  void aRefusalCarriesTheChallengeAndTheErrorBody() throws Exception {
    BlobStream.Response response = BlobStream.open(uri("/v2/private/blobs/sha256:1"), Optional.empty());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bearerChallenge()).hasValue("Bearer realm=\"http://127.0.0.1/token\"");
    assertThat(response.errorBody()).contains("UNAUTHORIZED");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static String header(List<String> values) {
    return values == null ? "" : String.join(",", values);
  }
}
