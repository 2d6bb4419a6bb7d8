package io.elemental.conformance.harness.support;

import java.time.Duration;

/**
 * Every wait's budget, in one place. All are multiplied by {@code -Delemental.timeout.scale}
 * (see {@link Waits}); these bases fit a 2-core machine with a local API server.
 */
public final class Timeouts {
  /** A controller noticing a change and writing status. */
  public static final Duration RECONCILE = Duration.ofSeconds(30);
  /** The garbage collector removing dependents of a deleted owner. */
  public static final Duration GARBAGE_COLLECTION = Duration.ofSeconds(60);

  private Timeouts() {}
}
