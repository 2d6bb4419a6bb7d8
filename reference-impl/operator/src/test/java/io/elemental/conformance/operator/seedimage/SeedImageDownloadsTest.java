package io.elemental.conformance.operator.seedimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.api.v1beta1.SeedImage;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download endpoint on a real Jetty (plain HTTP here; the operator puts it on its HTTPS server). */
class SeedImageDownloadsTest {
  private static final String ISO = "fire-2026-01-01T00:00:00Z.iso";
  @TempDir Path dir;
  Server jetty;
  String base;
  SeedImageStore store;
  final HttpClient http = HttpClient.newHttpClient();
  final Map<String, SeedImage> byToken = new java.util.HashMap<>();

  @BeforeEach
  void start() throws Exception {
    store = new SeedImageStore(dir);
    Files.createDirectories(store.dir("uid-1"));
    Files.writeString(store.dir("uid-1").resolve(ISO), "0123456789");
    Files.writeString(store.dir("uid-1").resolve(ISO + ".sha256"), "abc  " + ISO + "\n");
    store.record("uid-1", new BuiltSeedImage("fp", ISO, "abc", "tok", Instant.now(), false));
    byToken.put("tok", seedImage("uid-1", "True"));
    byToken.put("building", seedImage("uid-2", "False"));
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(new SeedImageDownloads(t -> Optional.ofNullable(byToken.get(t)), store, () -> {}));
    jetty.start();
    base = "http://127.0.0.1:" + connector.getLocalPort() + SeedImageReconciler.DOWNLOAD_PATH;
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void servesTheIsoAndItsChecksum() throws Exception {
    HttpResponse<String> iso = get("tok/" + ISO, null);
    assertThat(iso.statusCode()).isEqualTo(200);
    assertThat(iso.body()).isEqualTo("0123456789");
    assertThat(iso.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"" + ISO + "\"");
    assertThat(get("tok/" + ISO + ".sha256", null).body()).isEqualTo("abc  " + ISO + "\n");
  }

  @Test
  void honoursSingleRanges() throws Exception {
    HttpResponse<String> part = get("tok/" + ISO, "bytes=2-4");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("234");
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 2-4/10");
    assertThat(get("tok/" + ISO, "bytes=7-").body()).isEqualTo("789");
    assertThat(get("tok/" + ISO, "bytes=-2").body()).isEqualTo("89");
    assertThat(get("tok/" + ISO, "bytes=10-").statusCode()).isEqualTo(416);
  }

  @Test
  void unknownTokensFilesAndUnreadySeedImagesAre404() throws Exception {
    assertThat(get("nope/" + ISO, null)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("failed to find seed image with token path nope\n");
    });
    assertThat(get("tok/other.iso", null).statusCode()).isEqualTo(404);
    assertThat(get("tok/build.properties", null).statusCode()).isEqualTo(404);
    // Jetty itself refuses an encoded separator (400); never the file.
    assertThat(get("tok/..%2Fbuild.properties", null).statusCode()).isIn(400, 404);
    assertThat(get("building/" + ISO, null).body()).contains("is not ready");
    assertThat(get("tok", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anExpiredSeedImageIsGone() throws Exception {
    store.expire("uid-1", store.built("uid-1").orElseThrow());
    assertThat(get("tok/" + ISO, null).statusCode()).isEqualTo(404);
    assertThat(store.dir("uid-1").resolve(ISO)).doesNotExist();
  }

  private HttpResponse<String> get(String path, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (range != null) request.header("Range", range);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static SeedImage seedImage(String uid, String seedImageReady) {
    SeedImage si = new SeedImage();
    si.getMetadata().setName(uid);
    si.getMetadata().setNamespace("fleet-default");
    si.getMetadata().setUid(uid);
    si.setStatus(new SeedImage.Status());
    si.getStatus().conditions.add(new ConditionBuilder().withType("Ready").withStatus("True").build());
    si.getStatus().conditions.add(new ConditionBuilder().withType("SeedImageReady").withStatus(seedImageReady).build());
    return si;
  }
}
