package io.elemental.conformance.fakerancher;

import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The paths Rancher serves itself ({@code /k8s/clusters/local/...} and the like): a Jetty server
 * on 127.0.0.1, plain HTTP on a free port, behind the ingress. It reads the ingress's
 * {@code X-Forwarded-*} fields, so its handlers see the client's address and an https request.
 * A path no handler takes is Jetty's 404.
 */
final class LocalHandlers implements AutoCloseable {
  private final Server jetty;

  private LocalHandlers(Server jetty) {
    this.jetty = jetty;
  }

  static LocalHandlers start(List<Handler> handlers) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 2);
    threads.setName("rancher-ingress-local");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new ForwardedRequestCustomizer());
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(handlers.size() == 1 ? handlers.get(0) : new Handler.Sequence(handlers));
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception ignored) {
        // not started
      }
      throw new IllegalStateException("could not start the ingress's local handlers: " + e.getMessage(), e);
    }
    return new LocalHandlers(jetty);
  }

  Backend backend() {
    return Backend.http(URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()));
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the ingress's local handlers: " + e.getMessage(), e);
    }
  }
}
