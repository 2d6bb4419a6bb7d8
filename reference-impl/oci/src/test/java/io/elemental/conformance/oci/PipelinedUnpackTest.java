package io.elemental.conformance.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull and unpack at once, from a registry served over HTTP in the test, with layers made by GNU tar. */
class PipelinedUnpackTest {
  @TempDir Path dir;
  private HttpServer registry;
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, byte[]> manifests = new HashMap<>();

  @BeforeEach
  void start() throws IOException {
    registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext("/v2/os/manifests/", exchange -> answer(exchange,
        manifests.get(last(exchange)), "application/vnd.oci.image.manifest.v1+json"));
    registry.createContext("/v2/os/blobs/", exchange -> answer(exchange, blobs.get(last(exchange)),
        "application/octet-stream"));
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
  }

  @Test
  void unpacksEveryLayerInOrderWithTheUpperLayersWhiteouts() throws Exception {
    Path lower = staging("lower");
    write(lower, "etc/os-release", "VERSION_ID=v1\n");
    write(lower, "etc/gone", "lower\n");
    Path upper = staging("upper");
    write(upper, "etc/os-release", "VERSION_ID=v2\n");
    write(upper, "etc/.wh.gone", "");
    image("v2", layer(lower, "lower.tar.gz"), layer(upper, "upper.tar.gz"));

    Path root = dir.resolve("root");
    ImageManifest manifest = PipelinedUnpack.pullAndUnpack(new ImagePuller(dir.resolve("blobs")), reference("v2"), root);

    assertThat(manifest.layers()).hasSize(2);
    assertThat(root.resolve("etc/os-release")).hasContent("VERSION_ID=v2");
    assertThat(root.resolve("etc/gone")).doesNotExist();
    assertThat(root.resolve("etc/.wh.gone")).doesNotExist();
  }

  @Test
  void aCorruptUpperLayerFailsThePullWithoutHanging() throws Exception {
    Path lower = staging("lower");
    write(lower, "etc/os-release", "VERSION_ID=v1\n");
    Path upper = staging("upper");
    write(upper, "etc/motd", "hello\n");
    byte[] upperLayer = layer(upper, "upper.tar.gz");
    image("broken", layer(lower, "lower.tar.gz"), upperLayer);
    blobs.put(Digests.of(upperLayer), "not the layer".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> PipelinedUnpack.pullAndUnpack(new ImagePuller(dir.resolve("blobs")), reference("broken"),
        dir.resolve("root")))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("corrupt download or registry");
  }

  private ImageReference reference(String tag) {
    return ImageReference.parse("127.0.0.1:" + registry.getAddress().getPort() + "/os:" + tag);
  }

  /** Serves a manifest of {@code layers} (gzip tarballs) under {@code tag}. */
  private void image(String tag, byte[]... layers) {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    blobs.put(Digests.of(config), config);
    StringBuilder layerJson = new StringBuilder();
    for (byte[] layer : layers) {
      blobs.put(Digests.of(layer), layer);
      layerJson.append(layerJson.length() == 0 ? "" : ",").append(descriptor(MediaTypes.OCI_LAYER_GZIP, layer));
    }
    manifests.put(tag, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor(MediaTypes.OCI_CONFIG, config) + ",\"layers\":[" + layerJson + "]}")
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String descriptor(String mediaType, byte[] blob) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digests.of(blob) + "\",\"size\":" + blob.length + "}";
  }

  private byte[] layer(Path staging, String name) throws Exception {
    Path file = dir.resolve(name);
    Process tar = new ProcessBuilder(List.of("tar", "--create", "--gzip", "--file", file.toString(), "--directory",
        staging.toString(), "--numeric-owner", "."))
        .redirectErrorStream(true).start();
    assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return Files.readAllBytes(file);
  }

  private Path staging(String name) throws IOException {
    return Files.createDirectories(dir.resolve("staging-" + name));
  }

  private static void write(Path base, String path, String content) throws IOException {
    Files.createDirectories(base.resolve(path).getParent());
    Files.writeString(base.resolve(path), content);
  }

  private static String last(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void answer(HttpExchange exchange, byte[] body, String contentType) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.getResponseHeaders().add("Docker-Content-Digest", Digests.of(body));
    exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!"HEAD".equals(exchange.getRequestMethod())) out.write(body);
    }
  }
}
