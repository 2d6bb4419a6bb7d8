package io.elemental.conformance.fakerancher;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ingress's routing table: path prefixes to backends, the longest matching prefix winning,
 * and a fallback for every other path (the local handlers), if any. Safe to change while
 * connections come in; a change applies to connections opened after it.
 */
final class Routes {
  private volatile Map<String, Backend> byPrefix = Map.of();
  private volatile Backend fallback;

  synchronized void put(String prefix, Backend backend) {
    if (!prefix.startsWith("/")) throw new IllegalArgumentException("a route's prefix is a path: " + prefix);
    Map<String, Backend> next = new LinkedHashMap<>(byPrefix);
    next.put(prefix, backend);
    byPrefix = Map.copyOf(next);
  }

  void fallback(Backend backend) {
    this.fallback = backend;
  }

  /** The backend for {@code path}; empty when nothing serves it. */
  Optional<Backend> backendFor(String path) {
    return byPrefix.entrySet().stream()
        .filter(e -> path.startsWith(e.getKey()))
        .max(Comparator.comparingInt(e -> e.getKey().length()))
        .map(Map.Entry::getValue)
        .or(() -> Optional.ofNullable(fallback));
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    byPrefix.forEach((prefix, backend) -> out.append(prefix).append(" -> ").append(backend).append(", "));
    return out.append("else -> ").append(fallback == null ? "404" : fallback + " (local handlers)").toString();
  }
}
