package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS port on 127.0.0.1: accepts connections on its own thread and hands each one over as a
 * server-side TLS socket whose handshake runs on the first read (so on the connection's own
 * thread, never the acceptor's).
 */
final class TlsListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsListener.class);

  private final ServerSocket server;
  private final SSLContext tls;
  private final Thread acceptor;

  /** Binds {@code port} on 127.0.0.1 (0: any free port); {@link #start} begins accepting. */
  TlsListener(int port, SSLContext tls, ThreadFactory threads, Consumer<SSLSocket> onAccepted) throws IOException {
    this.server = new ServerSocket();
    this.tls = tls;
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    this.acceptor = threads.newThread(() -> accept(onAccepted));
  }

  void start() {
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept(Consumer<SSLSocket> onAccepted) {
    while (!server.isClosed()) {
      Socket raw;
      try {
        raw = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) return;
        LOG.warn("ingress on port {}: accept failed: {}", port(), e.getMessage());
        pause();
        continue;
      }
      try {
        raw.setTcpNoDelay(true);
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, true);
        secure.setUseClientMode(false);
        onAccepted.accept(secure);
      } catch (IOException | RuntimeException e) {
        LOG.warn("ingress on port {}: dropped a connection: {}", port(), e.getMessage());
        PlainResponse.closeQuietly(raw);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100); // out of file descriptors, say: no busy loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops accepting and frees the port; connections already handed over are the caller's. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
