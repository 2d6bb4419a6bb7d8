package io.elemental.conformance.fakerancher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets on loopback: a client that trusts only the ingress's CA, the ingress, and backends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RancherIngressTest {
  private static final int MAX_MESSAGE = 1 << 20;
  private RancherIngress ingress;
  private TestBackend backend;

  @AfterEach
  void tearDown() throws Exception {
    if (ingress != null) ingress.close();
    if (backend != null) backend.close();
  }

  @Test
  void passesAGetToAnHttpsBackendWithTheForwardingHeadersAndBringsItsAnswerBack() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    backend = new TestBackend(server -> new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        seen.put("path", Request.getPathInContext(request) + "?" + request.getHttpURI().getQuery());
        seen.put("for", String.valueOf(request.getHeaders().getValuesList("X-Forwarded-For")));
        seen.put("proto", String.valueOf(request.getHeaders().get("X-Forwarded-Proto")));
        response.getHeaders().put("Content-Type", "text/yaml");
        Content.Sink.write(response, true, "elemental:\n  registration: {}\n", callback);
        return true;
      }
    });
    ingress = RancherIngress.builder().names(List.of("127.0.0.1", "localhost", "10.0.2.100"))
        .elemental(Backend.https(backend.uri(), backend.ca.caPem())).start();

    HttpResponse<String> answer = client().send(HttpRequest.newBuilder(
            URI.create(ingress.serverUrl() + "/elemental/registration/abc123?x=1"))
        .header("X-Forwarded-For", "6.6.6.6").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("elemental:\n  registration: {}\n");
    assertThat(answer.headers().firstValue("content-type")).hasValue("text/yaml");
    assertThat(seen).containsEntry("path", "/elemental/registration/abc123?x=1")
        .containsEntry("for", "[127.0.0.1]") // the client's own claim is dropped
        .containsEntry("proto", "https");
    assertThat(ingress.serverUrl()).isEqualTo("https://127.0.0.1:" + ingress.port());
    assertThat(sanValues(serverCertificate())).contains("127.0.0.1", "localhost", "10.0.2.100");
  }

  @Test
  void passesSeedImageDownloadsWithByteRangesUntouched(@TempDir Path dir) throws Exception {
    byte[] image = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(image);
    Files.createDirectories(dir.resolve("seed"));
    Files.write(dir.resolve("seed/elemental.iso"), image);
    backend = new TestBackend(server -> {
      ResourceHandler files = new ResourceHandler();
      files.setBaseResource(ResourceFactory.of(server).newResource(dir.resolve("seed")));
      ContextHandler context = new ContextHandler("/elemental/seedimage");
      context.setHandler(files);
      return context;
    });
    ingress = RancherIngress.builder().elemental(Backend.httpsOnLoopback(backend.uri())).start();
    URI iso = URI.create(ingress.serverUrl() + "/elemental/seedimage/elemental.iso");

    HttpResponse<byte[]> whole = client().send(HttpRequest.newBuilder(iso).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> range = client().send(HttpRequest.newBuilder(iso).header("Range", "bytes=1000-1999").build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(image);
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(image, 1000, 2000));
  }

  @Test
  void carriesAWebsocketsBinaryFramesBothWays() throws Exception {
    BlockingQueue<String> upgrades = new ArrayBlockingQueue<>(4);
    backend = new TestBackend(server -> WebSocketUpgradeHandler.from(server, container -> {
      container.setMaxBinaryMessageSize(MAX_MESSAGE);
      container.addMapping("/elemental/registration/*", (request, response, callback) -> {
        upgrades.add(request.getHeaders().get("X-Forwarded-For") + " " + request.getHeaders().get("X-Forwarded-Proto"));
        return new Echo();
      });
    }));
    ingress = RancherIngress.builder().elemental(Backend.httpsOnLoopback(backend.uri())).start();

    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setTrustStore(trustStore(ingress.caPem()));
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    WebSocketClient websockets = new WebSocketClient(
        new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP(connector)));
    websockets.setMaxBinaryMessageSize(MAX_MESSAGE);
    websockets.start();
    try {
      Received received = new Received();
      Session session = websockets.connect(received,
          URI.create(ingress.serverUrl().replace("https:", "wss:") + "/elemental/registration/abc123"))
          .get(10, TimeUnit.SECONDS);
      byte[] small = {1, 2, 3, 0, (byte) 0xff};
      byte[] large = new byte[200 * 1024]; // many TLS records, one websocket message
      new Random(1).nextBytes(large);
      for (byte[] message : List.of(small, large, small)) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendBinary(ByteBuffer.wrap(message), org.eclipse.jetty.websocket.api.Callback.from(
            () -> sent.complete(null), sent::completeExceptionally));
        sent.get(10, TimeUnit.SECONDS);
        assertThat(received.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(message);
      }
      session.close(); // the close handshake goes through the ingress too
      assertThat(received.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    } finally {
      websockets.stop();
    }
    assertThat(upgrades.poll(1, TimeUnit.SECONDS)).isEqualTo("127.0.0.1 https");
  }

  @Test
  void servesTheClusterProxysPathsFromTheLocalHandlers() throws Exception {
    ingress = RancherIngress.builder().localHandlers(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(ClusterProxy.PREFIX + "/")) return false;
        Content.Sink.write(response, true, path + " secure=" + request.isSecure() + " from="
            + Request.getRemoteAddr(request), callback);
        return true;
      }
    }).start();

    HttpResponse<String> answer = get("/k8s/clusters/local/api/v1/namespaces/fleet-default/secrets/plan");
    HttpResponse<String> elsewhere = get("/v3/settings/server-url");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo("/k8s/clusters/local/api/v1/namespaces/fleet-default/secrets/plan secure=true from=127.0.0.1");
    assertThat(elsewhere.statusCode()).isEqualTo(404);
  }

  @Test
  void answers404ForAPathNoRouteTakesWhenThereAreNoLocalHandlers() throws Exception {
    ingress = RancherIngress.builder().start();

    HttpResponse<String> answer = get("/k8s/clusters/local/version");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).isEqualTo("not found: nothing is served at /k8s/clusters/local/version\n");
  }

  @Test
  void answers400ToAMalformedHeadAndCloses() throws Exception {
    ingress = RancherIngress.builder().start();

    String answer = rawExchange("HELLO THERE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .endsWith("bad request: not an HTTP/1.x request line: HELLO THERE\n");
  }

  @Test
  void answers400ToAHeadLongerThan64KiB() throws Exception {
    ingress = RancherIngress.builder().start();
    String head = "GET /elemental/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(70 * 1024) + "\r\n\r\n";

    String answer = rawExchange(head.getBytes(StandardCharsets.US_ASCII));

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("longer than 65536 bytes");
  }

  @Test
  void answers502NamingABackendThatRefusesTheConnection() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    ingress = RancherIngress.builder()
        .elemental(Backend.http(URI.create("http://127.0.0.1:" + closedPort))).start();

    HttpResponse<String> answer = get("/elemental/registration/abc123");

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(answer.body()).startsWith("bad gateway: http://127.0.0.1:" + closedPort + " refused the connection")
        .endsWith("\n").hasLineCount(1);
  }

  @Test
  void closeFreesThePortAndClosesOpenConnectionsAndCanBeCalledAgain() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ingress = RancherIngress.builder()
          .elemental(Backend.http(URI.create("http://127.0.0.1:" + silent.getLocalPort()))).start();
      int port = ingress.port();
      SSLSocket client = tlsSocket();
      client.getOutputStream().write("GET /elemental/registration/abc HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      try (Socket atBackend = silent.accept()) { // the request got through; the backend never answers
        atBackend.setSoTimeout(10_000);
        assertThat(new String(atBackend.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("GET ");

        ingress.close();
        ingress.close();

        assertThat(endsOrFails(atBackend.getInputStream())).as("the backend's side ends").isTrue();
      }
      client.setSoTimeout(10_000);
      assertThat(endsOrFails(client.getInputStream())).as("the client's side ends").isTrue();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
      assertThat(ingress.openSockets()).isZero();
    }
  }

  // ---- helpers ----

  @org.eclipse.jetty.websocket.api.annotations.WebSocket
  public static final class Echo {
    @org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
      callback.succeed();
      session.sendBinary(copy, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  @org.eclipse.jetty.websocket.api.annotations.WebSocket
  public static final class Received {
    final BlockingQueue<byte[]> messages = new ArrayBlockingQueue<>(16);
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage
    public void onBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
      byte[] copy = new byte[payload.remaining()];
      payload.get(copy);
      messages.add(copy);
      callback.succeed();
    }

    @org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose
    public void onClose(int status, String reason) {
      closed.complete(status);
    }
  }

  private HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(PemTrust.trusting(ingress.caPem(), "the ingress's CA")).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client().send(HttpRequest.newBuilder(URI.create(ingress.serverUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private SSLSocket tlsSocket() throws IOException {
    SSLSocket socket = (SSLSocket) PemTrust.trusting(ingress.caPem(), "the ingress's CA").getSocketFactory()
        .createSocket("127.0.0.1", ingress.port());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  /** Sends {@code bytes}, reads the answer to the end of the connection. */
  private String rawExchange(byte[] bytes) throws IOException {
    try (SSLSocket socket = tlsSocket()) {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return readToEnd(socket.getInputStream());
    }
  }

  private X509Certificate serverCertificate() throws IOException {
    try (SSLSocket socket = tlsSocket()) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static List<String> sanValues(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
  }

  private static KeyStore trustStore(String pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    return store;
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      in.transferTo(out);
    } catch (java.net.SocketException e) {
      // reset after the answer: what was read counts
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** True when the stream ends or fails (the other side closed), false when it is still open after the timeout. */
  private static boolean endsOrFails(InputStream in) {
    try {
      while (in.read() >= 0) {
        // nothing is expected; drain
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
