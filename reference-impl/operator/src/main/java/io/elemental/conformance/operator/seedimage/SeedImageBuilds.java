package io.elemental.conformance.operator.seedimage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed image builds, off the reconciler's threads: a build takes minutes (squashfs of a whole
 * OS), a reconcile must not. One build runs at a time, as they are CPU and disk bound and would
 * only slow each other; the others queue. When a build ends, {@code done} is told the SeedImage's
 * uid so its controller reconciles it and publishes the result.
 */
final class SeedImageBuilds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SeedImageBuilds.class);

  /** A build of these inputs (fingerprint) is queued or running, or has failed with this message. */
  record State(String fingerprint, Future<?> future, String failure) {
    boolean running() {
      return failure == null;
    }
  }

  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "seed-image-build");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final SeedImageBuilder builder;
  private final Consumer<String> done;

  SeedImageBuilds(SeedImageBuilder builder, Consumer<String> done) {
    this.builder = builder;
    this.done = done;
  }

  Optional<State> state(String uid) {
    return Optional.ofNullable(states.get(uid));
  }

  /** Queues a build, cancelling one of other inputs for the same SeedImage. */
  synchronized void start(BuildRequest request, String token) {
    cancel(request.uid());
    String fingerprint = request.fingerprint();
    Future<?>[] self = new Future<?>[1];
    Runnable job = () -> {
      String failure = null;
      try {
        builder.build(request, token);
      } catch (RuntimeException e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!Thread.currentThread().isInterrupted()) {
          LOG.warn("seed image {} failed to build: {}", request.seedImage(), failure, e);
        }
      }
      synchronized (this) {
        State current = states.get(request.uid());
        if (current == null || current.future() != self[0]) return; // cancelled or superseded
        if (failure == null) {
          states.remove(request.uid());
        } else {
          states.put(request.uid(), new State(fingerprint, current.future(), failure));
        }
      }
      done.accept(request.uid());
    };
    self[0] = executor.submit(job);
    states.put(request.uid(), new State(fingerprint, self[0], null));
  }

  synchronized void cancel(String uid) {
    State previous = states.remove(uid);
    if (previous != null && previous.running()) {
      previous.future().cancel(true);
      LOG.info("seed image build for {} cancelled: its inputs changed or it was deleted", uid);
    }
  }

  /** Forgets a failure, so that the same inputs are tried again (retriggerBuild). */
  synchronized void forget(String uid) {
    cancel(uid);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
