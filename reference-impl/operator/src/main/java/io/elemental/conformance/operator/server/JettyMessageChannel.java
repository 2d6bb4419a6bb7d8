package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.registration.ProtocolException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Bridges Jetty's callbacks to a blocking {@link MessageChannel}: whole binary messages are
 * queued as Jetty delivers them (fragments already joined), and the conversation thread takes
 * them in order. One absolute deadline for the whole session, as the real protocol has.
 */
public final class JettyMessageChannel implements Session.Listener.AutoDemanding, MessageChannel {
  private static final byte[] CLOSED = new byte[0];

  private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
  private final Instant deadline;
  private final CompletableFuture<Session> opened = new CompletableFuture<>();
  private final Runnable onOpen;
  private volatile Session session;
  private volatile String closeReason = "connection closed by the machine";

  JettyMessageChannel(Duration sessionTimeout, ConversationStarter starter) {
    this.deadline = Instant.now().plus(sessionTimeout);
    this.onOpen = () -> starter.start(this);
  }

  /** Hands an opened channel to the thread that runs its conversation. */
  public interface ConversationStarter {
    void start(MessageChannel channel);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    opened.complete(session);
    onOpen.run();
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] copy = new byte[payload.remaining()];
    payload.get(copy);
    inbox.add(copy);
    callback.succeed();
  }

  @Override
  public void onWebSocketText(String message) {
    closeReason = "text message received: the protocol speaks binary messages only";
    inbox.add(CLOSED);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    inbox.add(CLOSED);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closeReason = "connection failed: " + cause.getMessage();
    inbox.add(CLOSED);
  }

  @Override
  public byte[] readRaw() throws ProtocolException {
    try {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      byte[] message = left > 0 ? inbox.poll(left, TimeUnit.MILLISECONDS) : null;
      if (message == null) {
        throw new ProtocolException("the machine went silent: no message before the session deadline");
      }
      if (message == CLOSED) {
        throw new ProtocolException(closeReason);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted");
    }
  }

  @Override
  public void writeRaw(byte[] message) throws ProtocolException {
    Session current = session;
    if (current == null || !current.isOpen()) {
      throw new ProtocolException(closeReason);
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    current.sendBinary(ByteBuffer.wrap(message), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    try {
      long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      sent.get(left, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ProtocolException("could not send before the session deadline");
    } catch (ExecutionException e) {
      throw new ProtocolException("could not send: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted");
    }
  }

  @Override
  public void close() {
    Session current = session;
    if (current != null && current.isOpen()) {
      current.disconnect();
    }
  }
}
