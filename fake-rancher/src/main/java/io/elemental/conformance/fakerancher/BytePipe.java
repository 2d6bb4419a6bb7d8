package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Copies bytes both ways between two connected sockets, untouched, until either side closes
 * (or fails); then both are closed. What it carries is opaque to it: the rest of an HTTP
 * exchange, a download, or websocket frames after an upgrade. Half-closes are not passed on
 * (the first end of stream ends both ways), which none of Elemental's clients rely on.
 */
final class BytePipe {
  private static final int BUFFER = 16 * 1024;

  private final Socket client;
  private final Socket backend;
  private final OpenConnections open;

  BytePipe(Socket client, Socket backend, OpenConnections open) {
    this.client = client;
    this.backend = backend;
    this.open = open;
  }

  /** Runs client to backend on this thread and backend to client on one of {@code threads}; returns when both end. */
  void run(ExecutorService threads) {
    Future<?> back;
    try {
      back = threads.submit(() -> copy(backend, client));
    } catch (RejectedExecutionException e) { // the ingress is closing
      closeBoth();
      return;
    }
    copy(client, backend);
    try {
      back.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // copy() handles its own failures
    }
  }

  private void copy(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed or failed: either way the pipe ends
    } finally {
      closeBoth();
    }
  }

  private void closeBoth() {
    open.close(client);
    open.close(backend);
  }
}
