package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Where the ingress sends a route's connections: a scheme, host and port (no path: the request
 * target passes unchanged). Over https the backend's chain must lead to a given PEM certificate
 * (its own when self-signed, or its CA); its name is not checked, as a pod is reached by
 * address, which is what an ingress does with {@code backend-protocol: HTTPS}. A backend on
 * loopback may instead be trusted whatever its certificate.
 */
public final class Backend {
  private final URI uri;
  private final String host;
  private final int port;
  private final SSLContext tls; // null: plain http

  private Backend(URI uri, SSLContext tls) {
    this.uri = uri;
    this.host = unbracketed(uri.getHost());
    this.port = uri.getPort() >= 0 ? uri.getPort() : tls == null ? 80 : 443;
    this.tls = tls;
  }

  /** An https backend whose certificate chain leads to {@code trustedPem}. */
  public static Backend https(URI uri, String trustedPem) {
    check(uri, "https");
    return new Backend(uri, PemTrust.trusting(trustedPem, "the certificate to trust for " + uri));
  }

  /** An https backend on loopback (127.0.0.0/8, ::1, localhost), trusted whatever certificate it shows. */
  public static Backend httpsOnLoopback(URI uri) {
    check(uri, "https");
    if (!isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(uri + " is not on loopback: give the certificate to trust");
    }
    return new Backend(uri, PemTrust.trustingAnything());
  }

  /** A plain http backend. */
  public static Backend http(URI uri) {
    check(uri, "http");
    return new Backend(uri, null);
  }

  public URI uri() {
    return uri;
  }

  /**
   * Opens a connection, the TLS handshake done when https.
   *
   * @throws IOException refused, unreachable, too slow, or the handshake failed
   */
  Socket connect(Duration timeout) throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      raw.setTcpNoDelay(true);
      if (tls == null) return raw;
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true);
      secure.setSoTimeout((int) timeout.toMillis());
      secure.startHandshake();
      secure.setSoTimeout(0);
      return secure;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private String scheme() {
    return tls == null ? "http" : "https";
  }

  private static void check(URI uri, String scheme) {
    if (!scheme.equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("not an " + scheme + " URI: " + uri);
    }
    if (uri.getHost() == null) throw new IllegalArgumentException("no host in " + uri);
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("a backend is a scheme, host and port; the request's path passes "
          + "unchanged, so " + uri + " may have no path or query");
    }
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    String literal = unbracketed(host);
    if (!CertificateAuthority.isIpAddress(literal)) return false;
    try {
      return InetAddress.getByName(literal).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
