package io.elemental.conformance.fakerancher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rancher's proxy to its local cluster: {@code <server-url>/k8s/clusters/local/<api path>} is
 * the API server's {@code <api path>}. It is how a machine's system agent reaches its plan
 * Secret with the token its registration answer carried (ELEMENTAL.md §5).
 *
 * <p>Rancher checks the token itself and impersonates its user; this proxy passes the bearer
 * token through and lets the API server check it, which grants and refuses the same requests
 * for a service-account token. Request and response bodies are streamed, so a watch works too.
 */
public final class ClusterProxy extends Handler.Abstract {
  public static final String PREFIX = "/k8s/clusters/local";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProxy.class);
  private static final Set<String> FORWARDED = Set.of("authorization", "accept", "content-type");
  private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

  private final URI apiServer;
  private final HttpClient http;

  /** @param apiServerCaPem the CA that signed the API server's certificate (PEM) */
  public ClusterProxy(URI apiServer, String apiServerCaPem) {
    this.apiServer = apiServer;
    this.http = HttpClient.newBuilder().sslContext(trusting(apiServerCaPem)).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX + "/")) return false;
    String query = request.getHttpURI().getQuery();
    URI target = URI.create(apiServer.toString().replaceAll("/$", "") + path.substring(PREFIX.length())
        + (query == null ? "" : "?" + query));
    HttpRequest.Builder forward = HttpRequest.newBuilder(target);
    for (String name : FORWARDED) {
      String value = request.getHeaders().get(name);
      if (value != null) forward.header(name, value);
    }
    String method = request.getMethod();
    if (BODYLESS.contains(method)) {
      forward.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      byte[] body = Content.Source.asInputStream(request).readAllBytes();
      forward.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }
    HttpResponse<InputStream> answer;
    try {
      answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      LOG.warn("cluster proxy: {} {} failed: {}", method, target, e.getMessage());
      Response.writeError(request, response, callback, 502, "the local cluster's API server did not answer: "
          + e.getMessage());
      return true;
    }
    response.setStatus(answer.statusCode());
    answer.headers().firstValue("content-type").ifPresent(v -> response.getHeaders().put(HttpHeader.CONTENT_TYPE, v));
    try (InputStream in = answer.body(); OutputStream out = Content.Sink.asOutputStream(response)) {
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush(); // a watch's events as they come
      }
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
    return true;
  }

  private static SSLContext trusting(String pem) {
    return PemTrust.trusting(pem, "the API server's CA");
  }
}
