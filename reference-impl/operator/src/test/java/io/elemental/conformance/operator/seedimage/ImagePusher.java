package io.elemental.conformance.operator.seedimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.oci.Digests;
import io.elemental.conformance.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Pushes an image to a registry with the distribution API alone (blob uploads, manifest PUT): no docker needed. */
final class ImagePusher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String registry;

  ImagePusher(String registry) {
    this.registry = registry;
  }

  /** Pushes gzip'd layers (lowest first) as an OCI image, tagged {@code tag} through an OCI index (linux/amd64). */
  String push(String repository, String tag, List<Path> gzipLayers) throws IOException, InterruptedException {
    List<Map<String, Object>> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (Path layer : gzipLayers) {
      byte[] content = Files.readAllBytes(layer);
      layers.add(Map.of("mediaType", MediaTypes.OCI_LAYER_GZIP, "digest", blob(repository, content), "size", content.length));
      try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
        diffIds.add(Digests.of(in.readAllBytes()));
      }
    }
    byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", diffIds), "config", Map.of()));
    byte[] manifest = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
        "config", Map.of("mediaType", MediaTypes.OCI_CONFIG, "digest", blob(repository, config), "size", config.length),
        "layers", layers));
    String manifestDigest = Digests.of(manifest);
    put(repository, manifestDigest, MediaTypes.OCI_MANIFEST, manifest);
    byte[] index = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX,
        "manifests", List.of(Map.of("mediaType", MediaTypes.OCI_MANIFEST, "digest", manifestDigest,
            "size", manifest.length, "platform", Map.of("os", "linux", "architecture", "amd64")))));
    put(repository, tag, MediaTypes.OCI_INDEX, index);
    return manifestDigest;
  }

  private String blob(String repository, byte[] content) throws IOException, InterruptedException {
    String digest = Digests.of(content);
    HttpResponse<String> started = http.send(HttpRequest.newBuilder(
        URI.create("http://" + registry + "/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    require(started, 202);
    URI location = URI.create("http://" + registry + "/").resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getQuery() == null ? "?" : "&";
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    require(done, 201);
    return digest;
  }

  private void put(String repository, String reference, String mediaType, byte[] manifest)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + reference))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
        HttpResponse.BodyHandlers.ofString());
    require(response, 201);
  }

  private static void require(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
          + response.statusCode() + " (expected " + status + "): " + response.body());
    }
  }
}
