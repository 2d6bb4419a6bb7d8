package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through the ingress: TLS handshake, the first request head, the route
 * that head's path picks, the connection to that backend, the head passed on with the
 * forwarding fields, then a {@link BytePipe} until either side closes. The ingress answers
 * itself only when it cannot pass the connection on: 400 for a bad head, 404 when no route
 * takes the path, 502 when the backend cannot be reached.
 */
final class IngressConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IngressConnection.class);

  private final SSLSocket client;
  private final Routes routes;
  private final OpenConnections open;
  private final ExecutorService threads;
  private final Timeouts timeouts;

  /** How long a client may take to send its head, and a backend to accept a connection (and its handshake). */
  record Timeouts(Duration head, Duration connect) {}

  IngressConnection(SSLSocket client, Routes routes, OpenConnections open, ExecutorService threads,
      Timeouts timeouts) {
    this.client = client;
    this.routes = routes;
    this.open = open;
    this.threads = threads;
    this.timeouts = timeouts;
  }

  @Override
  public void run() {
    if (!open.add(client)) return;
    try {
      serve();
    } finally {
      open.close(client);
    }
  }

  private void serve() {
    String clientAddress = client.getInetAddress().getHostAddress();
    RequestHeadReader.Read read;
    try {
      client.setSoTimeout((int) timeouts.head().toMillis());
      read = RequestHeadReader.read(client.getInputStream());
      if (read == null) return; // connected, said nothing
      client.setSoTimeout(0); // from here on, the backend decides how long a connection idles
    } catch (MalformedRequestHeadException e) {
      LOG.info("ingress: 400 to {}: {}", clientAddress, e.getMessage());
      PlainResponse.sendAndClose(client, 400, "Bad Request", "bad request: " + e.getMessage());
      return;
    } catch (SocketTimeoutException e) {
      LOG.debug("ingress: {} sent no request head within {}", clientAddress, timeouts.head());
      return;
    } catch (SSLException e) {
      LOG.debug("ingress: TLS with {} failed: {}", clientAddress, e.getMessage());
      return;
    } catch (IOException e) {
      LOG.debug("ingress: reading from {} failed: {}", clientAddress, e.getMessage());
      return;
    }

    RequestHead head = read.head();
    Optional<Backend> route = routes.backendFor(head.path());
    if (route.isEmpty()) {
      LOG.info("ingress: 404 to {}: no route for {}", clientAddress, head);
      PlainResponse.sendAndClose(client, 404, "Not Found", "not found: nothing is served at " + head.path());
      return;
    }
    Backend backend = route.get();
    Socket upstream;
    try {
      upstream = backend.connect(timeouts.connect());
    } catch (IOException e) {
      String why = whyUnreachable(backend, e);
      LOG.warn("ingress: 502 to {} for {}: {}", clientAddress, head, why);
      PlainResponse.sendAndClose(client, 502, "Bad Gateway", "bad gateway: " + why);
      return;
    }
    if (!open.add(upstream)) return;
    LOG.debug("ingress: {} from {} -> {}{}", head, clientAddress, backend, head.isUpgrade() ? " (upgrade)" : "");
    try {
      OutputStream out = upstream.getOutputStream();
      out.write(head.forwardedFrom(clientAddress).bytes());
      out.write(read.rest());
      out.flush();
    } catch (IOException e) {
      LOG.warn("ingress: 502 to {} for {}: {} closed before taking the request: {}", clientAddress, head, backend,
          e.getMessage());
      open.close(upstream);
      PlainResponse.sendAndClose(client, 502, "Bad Gateway",
          "bad gateway: " + backend + " closed the connection before taking the request");
      return;
    }
    new BytePipe(client, upstream, open).run(threads);
  }

  private String whyUnreachable(Backend backend, IOException e) {
    if (e instanceof ConnectException) return backend + " refused the connection (" + e.getMessage() + ")";
    if (e instanceof SocketTimeoutException) return backend + " did not answer within " + timeouts.connect();
    if (e instanceof SSLException) return "TLS with " + backend + " failed: " + e.getMessage();
    return backend + " is unreachable: " + e.getMessage();
  }
}
