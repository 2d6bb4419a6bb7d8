package io.elemental.conformance.node.register;

import io.elemental.conformance.api.registration.Message;
import io.elemental.conformance.api.registration.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The register client's websocket to the registration endpoint: whole binary messages in
 * order, one absolute deadline for the session (10 s, as the real client sets), and the
 * server's refusal before the upgrade (404, 401) turned into a readable error.
 */
public final class ClientChannel implements AutoCloseable {
  private static final byte[] CLOSED = new byte[0];
  /**
   * One HTTP client per trust: each holds a selector thread and TLS session cache, and many
   * machines simulated in one JVM would otherwise start one each.
   */
  private static final java.util.Map<SSLContext, HttpClient> CLIENTS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private final WebSocket socket;
  private final BlockingQueue<byte[]> inbox;
  private final Instant deadline;

  private ClientChannel(WebSocket socket, BlockingQueue<byte[]> inbox, Instant deadline) {
    this.socket = socket;
    this.inbox = inbox;
    this.deadline = deadline;
  }

  /**
   * A plain GET of the registration URL (the endpoint answers with the registration config):
   * proves the URL, token and CA before any TPM work, and leaves TLS warm for the session.
   */
  public static void probe(URI url, SSLContext tls, Duration timeout) throws RegistrationException {
    URI httpUrl = URI.create(url.toString().replaceFirst("^ws", "http"));
    try {
      int status = client(tls, timeout).send(java.net.http.HttpRequest.newBuilder(httpUrl).timeout(timeout).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 404) {
        throw new RegistrationException("the registration endpoint " + url.getHost() + " does not know this token"
            + " (HTTP 404): its MachineRegistration is gone, not Ready, or holds a duplicate token");
      }
      if (status != 200) {
        throw new RegistrationException("the registration endpoint " + url.getHost() + " answered HTTP " + status);
      }
    } catch (java.io.IOException e) {
      throw new RegistrationException("cannot reach the registration endpoint " + url + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistrationException("interrupted");
    }
  }

  private static HttpClient client(SSLContext tls, Duration connectTimeout) {
    return CLIENTS.computeIfAbsent(tls,
        context -> HttpClient.newBuilder().sslContext(context).connectTimeout(connectTimeout).build());
  }

  public static ClientChannel open(URI url, String authorization, SSLContext tls, Duration sessionTimeout)
      throws RegistrationException {
    URI websocketUrl = URI.create(url.toString().replaceFirst("^http", "ws"));
    BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    HttpClient http = client(tls, sessionTimeout);
    try {
      WebSocket socket = http.newWebSocketBuilder()
          .header("Authorization", authorization)
          .connectTimeout(sessionTimeout)
          .buildAsync(websocketUrl, new Collector(inbox))
          .get(sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ClientChannel(socket, inbox, Instant.now().plus(sessionTimeout));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        String body = String.valueOf(refused.getResponse().body()).trim();
        throw new RegistrationException("registration refused by " + url.getHost() + " (HTTP "
            + refused.getResponse().statusCode() + ")" + (body.isEmpty() || body.equals("null") ? "" : ": " + body));
      }
      throw new RegistrationException("cannot reach the registration endpoint " + url + ": " + describe(e.getCause()),
          e.getCause());
    } catch (TimeoutException e) {
      throw new RegistrationException("no answer from the registration endpoint " + url + " within " + sessionTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistrationException("interrupted");
    }
  }

  /** The innermost cause with a message; Java's connect errors often carry none ("null"). */
  private static String describe(Throwable error) {
    String described = error.getClass().getSimpleName();
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) described = t.getClass().getSimpleName() + ": " + t.getMessage();
    }
    return described.replace("ConnectException", "connection refused or unreachable (ConnectException)");
  }

  public byte[] readRaw() throws ProtocolException {
    try {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      byte[] message = left > 0 ? inbox.poll(left, TimeUnit.MILLISECONDS) : null;
      if (message == null) throw new ProtocolException("the registration endpoint did not answer in time");
      if (message == CLOSED) throw new ProtocolException("the registration endpoint closed the connection");
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted");
    }
  }

  public Message read() throws ProtocolException {
    return Message.decode(readRaw());
  }

  public void writeRaw(byte[] message) throws ProtocolException {
    try {
      long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      socket.sendBinary(ByteBuffer.wrap(message), true).get(left, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ProtocolException("could not send to the registration endpoint: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted");
    }
  }

  public void write(Message message) throws ProtocolException {
    writeRaw(message.encode());
  }

  @Override
  public void close() {
    socket.abort();
  }

  /** Joins fragments into whole messages and queues them. */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<byte[]> inbox;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Collector(BlockingQueue<byte[]> inbox) {
      this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.write(bytes, 0, bytes.length);
      if (last) {
        inbox.add(partial.toByteArray());
        partial.reset();
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      inbox.add(("text:" + data).getBytes(StandardCharsets.UTF_8));
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      inbox.add(CLOSED);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      inbox.add(CLOSED);
    }
  }
}
