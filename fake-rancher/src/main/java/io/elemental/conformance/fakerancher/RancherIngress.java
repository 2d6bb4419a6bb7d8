package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rancher's ingress, as far as Elemental sees it: the TLS front at {@code server-url}. It
 * terminates TLS on 127.0.0.1 with a certificate issued by a CA made for the run (the CA is
 * what the {@code cacerts} setting carries), passes {@code /elemental/...} to the Elemental
 * operator (its registration websocket, the registration URL's plain GET, seed image downloads
 * with their byte ranges) and serves every other path from Rancher's own handlers (the
 * {@link ClusterProxy} at {@code /k8s/clusters/local/...}) on a local Jetty server.
 *
 * <p>How it passes a connection on: it reads the connection's first request head, picks the
 * route by the path's longest matching prefix, connects to that backend (over TLS when it is
 * https), sends the head with {@code X-Forwarded-For: <client address>} and
 * {@code X-Forwarded-Proto: https}, and from then on copies bytes both ways untouched until
 * either side closes. So a websocket's frames pass transparently, and so does a download of
 * any size. It answers itself only when it cannot pass a connection on: {@code 400 Bad Request}
 * for a malformed head or one over 64 KiB, {@code 404 Not Found} when no route takes the path
 * and there are no local handlers, {@code 502 Bad Gateway} naming the backend when it refuses
 * the connection (or cannot be reached, or its TLS fails).
 *
 * <p><b>Routing is per connection</b>: a keep-alive connection stays with the backend its first
 * request went to, and later requests on it are not looked at. That is enough for Elemental's
 * clients, each of which uses a connection of its own per purpose (the register client's
 * websocket, a download, the system agent's calls to the cluster proxy). A real ingress routes
 * each request.
 *
 * <p>Threads: one acceptor, and per connection one thread of a cached pool of named daemon
 * threads (two while bytes are piped). {@link #close()} stops the listener, closes every open
 * connection and stops the local Jetty server; it may be called more than once.
 */
public final class RancherIngress implements AutoCloseable {
  /** The operator's prefix: registration, its websocket, seed images. */
  public static final String ELEMENTAL_PREFIX = "/elemental/";
  private static final Logger LOG = LoggerFactory.getLogger(RancherIngress.class);

  private final CertificateAuthority ca;
  private final Routes routes;
  private final OpenConnections open = new OpenConnections();
  private final ExecutorService threads;
  private final LocalHandlers local; // null: no local handlers
  private final TlsListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RancherIngress(Builder builder) throws IOException {
    this.ca = CertificateAuthority.create("fake-rancher-ingress-ca");
    List<String> names = new ArrayList<>(List.of("127.0.0.1"));
    builder.names.stream().filter(n -> !names.contains(n)).forEach(names::add);
    ServerIdentity identity = ca.issueServerCertificate("fake-rancher-ingress", names);
    this.routes = new Routes();
    builder.routes.forEach(routes::put);
    this.threads = Executors.newCachedThreadPool(new DaemonThreads("rancher-ingress"));
    IngressConnection.Timeouts timeouts = new IngressConnection.Timeouts(builder.headTimeout, builder.connectTimeout);
    LocalHandlers started = null;
    try {
      if (!builder.handlers.isEmpty()) {
        started = LocalHandlers.start(builder.handlers);
        routes.fallback(started.backend());
      }
      this.listener = new TlsListener(builder.port, identity.sslContext(), new DaemonThreads("rancher-ingress-accept"),
          socket -> dispatch(new IngressConnection(socket, routes, open, threads, timeouts)));
    } catch (IOException | RuntimeException e) {
      if (started != null) started.close();
      threads.shutdownNow();
      throw e;
    }
    this.local = started;
    listener.start();
    LOG.info("Rancher's ingress at {} (certificate for {}): {}", serverUrl(), names, routes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The CA that issued the ingress's certificate, PEM: the value of Rancher's {@code cacerts} setting. */
  public String caPem() {
    return ca.caPem();
  }

  public int port() {
    return listener.port();
  }

  /** {@code https://127.0.0.1:<port>}: the value of Rancher's {@code server-url} setting on this machine. */
  public String serverUrl() {
    return "https://127.0.0.1:" + port();
  }

  /**
   * Sends paths under {@code prefix} to {@code backend} from now on (connections already open
   * stay where they are): for an operator that came up, or came back on another port.
   */
  public RancherIngress route(String prefix, Backend backend) {
    routes.put(prefix, backend);
    LOG.info("Rancher's ingress at {}: {} -> {}", serverUrl(), prefix, backend);
    return this;
  }

  /** Connections open through the ingress right now (client and backend sides each count). */
  int openSockets() {
    return open.size();
  }

  private void dispatch(IngressConnection connection) {
    try {
      threads.execute(connection);
    } catch (RejectedExecutionException e) { // closing: the listener drops the connection
      throw new IllegalStateException("the ingress is closing", e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    listener.close();
    open.closeAll();
    threads.shutdownNow();
    if (local != null) local.close();
    LOG.info("Rancher's ingress at {} closed", serverUrl());
  }

  /** How to start one: the port, the certificate's names, the routes and the local handlers. */
  public static final class Builder {
    private int port;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Backend> routes = new LinkedHashMap<>();
    private final List<Handler> handlers = new ArrayList<>();
    private Duration headTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The port on 127.0.0.1; 0 (the default) is any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("not a port: " + port);
      this.port = port;
      return this;
    }

    /**
     * The names the certificate is for (IP addresses and DNS names), e.g. 127.0.0.1,
     * localhost and the address guests reach the host at; 127.0.0.1 is always among them.
     */
    public Builder names(List<String> names) {
      names.forEach(n -> {
        if (n == null || n.isBlank()) throw new IllegalArgumentException("an empty name for the certificate");
      });
      this.names.addAll(names);
      return this;
    }

    /** The Elemental operator: where {@value #ELEMENTAL_PREFIX} goes. */
    public Builder elemental(Backend operator) {
      return route(ELEMENTAL_PREFIX, operator);
    }

    /** Paths under {@code prefix} go to {@code backend}. */
    public Builder route(String prefix, Backend backend) {
      if (!prefix.startsWith("/")) throw new IllegalArgumentException("a route's prefix is a path: " + prefix);
      routes.put(prefix, backend);
      return this;
    }

    /** Rancher's own handlers (e.g. a {@link ClusterProxy}), for the paths no route takes; tried in order. */
    public Builder localHandlers(Handler... handlers) {
      this.handlers.addAll(List.of(handlers));
      return this;
    }

    /** How long a client may take to send its first request head (default 30 s). */
    public Builder headTimeout(Duration timeout) {
      this.headTimeout = timeout;
      return this;
    }

    /** How long a backend may take to accept a connection and finish its TLS handshake (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Makes the CA and certificate, starts the local handlers and listens. */
    public RancherIngress start() {
      try {
        return new RancherIngress(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
