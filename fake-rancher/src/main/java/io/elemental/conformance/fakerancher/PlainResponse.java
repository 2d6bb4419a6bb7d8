package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The ingress's own answers (400, 404, 502): a one-line plain-text body, then the connection
 * closes. The close lingers: the ingress stops sending, then reads and drops what the client
 * still sends for a moment, so the client reads the answer rather than a reset.
 */
final class PlainResponse {
  private static final int LINGER_MILLIS = 2_000;
  private static final int LINGER_MAX_BYTES = 1 << 20;

  private PlainResponse() {}

  static void sendAndClose(Socket client, int status, String reason, String line) {
    byte[] body = (line.replaceAll("[\r\n]+", " ") + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    try {
      OutputStream out = client.getOutputStream();
      out.write(head);
      out.write(body);
      out.flush();
      lingeringClose(client);
    } catch (IOException e) {
      // the client is gone: nothing to answer
    } finally {
      closeQuietly(client);
    }
  }

  private static void lingeringClose(Socket client) throws IOException {
    try {
      client.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      // some TLS versions cannot half-close: the drain below is bounded anyway
    }
    client.setSoTimeout(LINGER_MILLIS);
    InputStream in = client.getInputStream();
    byte[] drop = new byte[8192];
    long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
    for (int total = 0, n; total < LINGER_MAX_BYTES && System.nanoTime() < deadline; total += n) {
      n = in.read(drop);
      if (n < 0) return;
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
