package io.elemental.conformance.fakerancher;

import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A Jetty server on 127.0.0.1 standing in for the operator: https with a certificate from its own CA. */
final class TestBackend implements AutoCloseable {
  final CertificateAuthority ca = CertificateAuthority.create("test-operator-ca");
  final Server jetty = new Server();

  /** @param handler given the server, so a websocket upgrade handler can be made for it */
  TestBackend(java.util.function.Function<Server, Handler> handler) throws Exception {
    ServerIdentity identity = ca.issueServerCertificate("test-operator", List.of("127.0.0.1"));
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(identity.keyStore());
    tls.setKeyStorePassword(identity.keyStorePassword());
    HttpConfiguration https = new HttpConfiguration();
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(handler.apply(jetty));
    jetty.start();
  }

  URI uri() {
    return URI.create("https://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
