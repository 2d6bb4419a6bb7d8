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

  /** A SeedImage build: pulling the OS image, its squashfs (the slow part, cached per image digest), the ISO. */
  public static final Duration SEED_IMAGE_BUILD = Duration.ofMinutes(10);
  /** A VM under TCG from power-on to a line its register client prints (target: 90 s). */
  public static final Duration VM_BOOT_TO_REGISTRATION = Duration.ofMinutes(4);
  /** A VM's system agent applying a plan: a JVM start under TCG, then one 5 s pass or two. */
  public static final Duration VM_AGENT_PASS = Duration.ofMinutes(2);

  private Timeouts() {}
}
