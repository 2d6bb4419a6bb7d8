package io.elemental.conformance.fakerancher;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sockets the ingress has open, so that closing it closes them all. */
final class OpenConnections {
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Tracks {@code socket}; false (and the socket closed) when the ingress has closed already. */
  boolean add(Socket socket) {
    open.add(socket);
    if (closed) { // close() may have run between the check and the add: it is closed either way
      open.remove(socket);
      PlainResponse.closeQuietly(socket);
      return false;
    }
    return true;
  }

  /** Closes {@code socket} and stops tracking it. */
  void close(Socket socket) {
    open.remove(socket);
    PlainResponse.closeQuietly(socket);
  }

  int size() {
    return open.size();
  }

  void closeAll() {
    closed = true;
    for (Socket socket : open) close(socket);
  }
}
