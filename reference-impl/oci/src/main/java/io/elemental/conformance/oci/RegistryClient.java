package io.elemental.conformance.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read side of the OCI distribution API: manifests by tag or digest, blobs by digest.
 * Anonymous bearer tokens are fetched when a registry asks for them (public images on
 * Docker Hub style registries); credentials are not supported.
 */
public final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();
  /** Bearer tokens per registry + repository, once a registry has asked for one. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** A manifest or index as the registry holds it: its bytes, media type and digest (of those bytes). */
  public record RawManifest(byte[] content, String mediaType, String digest) {}

  public RawManifest manifest(ImageReference image, String reference) {
    URI uri = image.apiBase().resolve("manifests/" + reference);
    HttpResponse<byte[]> response = send(image, HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
        .header("Accept", MediaTypes.ACCEPT_MANIFESTS).GET(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      throw new OciException("image " + image + ": manifest " + reference + " not found in " + image.registry()
          + " (HTTP 404). Fix: push the image, or correct the tag");
    }
    requireOk(image, uri, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    String digest = Digests.of(response.body());
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new OciException("image " + image + ": the registry returned a manifest with digest " + digest
          + " for " + reference);
    }
    String mediaType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim())
        .filter(t -> !t.isEmpty() && !t.equals("application/json"))
        .orElseGet(() -> mediaTypeField(response.body()));
    return new RawManifest(response.body(), mediaType, digest);
  }

  /** Downloads a blob to {@code target}, checking its size and digest; the file appears only when whole and right. */
  public void blob(ImageReference image, Descriptor blob, Path target) throws IOException {
    URI uri = image.apiBase().resolve("blobs/" + blob.digest());
    try (InputStream body = blobBody(image, uri)) {
      Files.createDirectories(target.getParent());
      // Unique per download: two JVMs sharing a blob store may fetch the same layer at once.
      Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial");
      MessageDigest sha256 = Digests.sha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
        size = copy(body, out);
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
      if (!actual.equals(blob.digest()) || (blob.size() > 0 && size != blob.size())) {
        Files.deleteIfExists(partial);
        throw new OciException("image " + image + ": blob " + blob.digest() + " arrived as " + actual + " ("
            + size + " bytes, expected " + blob.size() + "): corrupt download or registry");
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** A blob's body ({@link BlobStream}), fetching an anonymous token first when the registry asks for one. */
  private InputStream blobBody(ImageReference image, URI uri) {
    String key = tokenKey(image);
    return reaching(image, () -> {
      BlobStream.Response response = BlobStream.open(uri, Optional.ofNullable(tokens.get(key)));
      if (response.status() == 401 && response.bearerChallenge().isPresent()) {
        tokens.put(key, anonymousToken(image, response.bearerChallenge().get()));
        response = BlobStream.open(uri, Optional.of(tokens.get(key)));
      }
      requireOk(image, uri, response.status(), response.errorBody());
      return response.body();
    });
  }

  /** In 128 KiB chunks: under TCG each write's system call is dear, and transferTo's are 8 KiB. */
  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[128 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; total += n) {
      out.write(buffer, 0, n);
    }
    return total;
  }

  private <T> HttpResponse<T> send(ImageReference image, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    String key = tokenKey(image);
    return reaching(image, () -> {
      Optional.ofNullable(tokens.get(key)).ifPresent(t -> request.setHeader("Authorization", "Bearer " + t));
      HttpResponse<T> response = http.send(request.build(), body);
      Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
      if (response.statusCode() == 401 && challenge.isPresent() && challenge.get().startsWith("Bearer ")) {
        closeQuietly(response.body());
        tokens.put(key, anonymousToken(image, challenge.get()));
        request.setHeader("Authorization", "Bearer " + tokens.get(key));
        return http.send(request.build(), body);
      }
      return response;
    });
  }

  /** A request to the registry, or several (a token, then the retry). */
  private interface RegistryCall<T> {
    T call() throws IOException, InterruptedException;
  }

  /** Runs {@code call}, turning an unreachable registry into an error that says so. */
  private static <T> T reaching(ImageReference image, RegistryCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new OciException("image " + image + ": cannot reach registry " + image.scheme() + "://" + image.registry()
          + " (" + e + "). Fix: start the registry or correct the reference", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciException("image " + image + ": pull interrupted", e);
    }
  }

  private static String tokenKey(ImageReference image) {
    return image.registry() + "/" + image.repository();
  }

  /** The token service's anonymous token for pulling this repository. */
  private String anonymousToken(ImageReference image, String challenge) throws IOException, InterruptedException {
    Map<String, String> params = challengeParams(challenge.substring("Bearer ".length()));
    String realm = params.remove("realm");
    if (realm == null) {
      throw new OciException("image " + image + ": registry asked for a bearer token without a realm");
    }
    params.putIfAbsent("scope", "repository:" + image.repository() + ":pull");
    StringBuilder query = new StringBuilder();
    params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(realm + query))
        .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new OciException("image " + image + ": the registry refused anonymous access (token service answered "
          + response.statusCode() + "). Credentials are not supported: use a public or local registry");
    }
    JsonNode token = JSON.readTree(response.body());
    return token.hasNonNull("token") ? token.get("token").asText() : token.path("access_token").asText();
  }

  private static Map<String, String> challengeParams(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : text.split(",(?=\\s*[a-zA-Z_]+=)")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        params.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
      }
    }
    return params;
  }

  private static String mediaTypeField(byte[] manifest) {
    try {
      return JSON.readTree(manifest).path("mediaType").asText("");
    } catch (IOException e) {
      throw new OciException("registry returned a manifest that is not JSON: " + e.getMessage(), e);
    }
  }

  private static void requireOk(ImageReference image, URI uri, int status, String body) {
    if (status == 401 || status == 403) {
      throw new OciException("image " + image + ": registry refused " + uri + " (HTTP " + status
          + "). Credentials are not supported: use a public or local registry");
    }
    if (status != 200) {
      throw new OciException("image " + image + ": GET " + uri + " answered HTTP " + status + ": "
          + body.strip().lines().findFirst().orElse(""));
    }
  }

  private static void closeQuietly(Object body) {
    if (body instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // the body of a refused request: nothing to keep
      }
    }
  }
}
