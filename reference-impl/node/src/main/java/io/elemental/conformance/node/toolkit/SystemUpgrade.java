package io.elemental.conformance.node.toolkit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code elemental upgrade --system} as a plan instruction runs it: idempotent, because the
 * system agent applies a plan again after every start (and so after the upgrade's own reboot).
 *
 * <ul>
 *   <li>already running the image (same source and manifest digest): done, nothing written; on an
 *       active boot still on trial, only once boot assessment has found it healthy (an unhealthy
 *       verdict reboots the machine, and the plan runs again on the fallback entry);
 *   <li>the active snapshot is that image but the machine booted another entry: the upgrade was
 *       rolled back by boot assessment, and that is reported as a failure;
 *   <li>otherwise: upgrade, and the caller reboots.
 * </ul>
 * The registry is asked for the digest first, so a missing image or a registry that is down
 * fails before anything on the disk changes.
 */
public final class SystemUpgrade {
  public enum Outcome { ALREADY_RUNNING, UPGRADED }

  /** Longer than any boot assessment: the health checks run once, right after the system came up. */
  static final Duration VERDICT_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration VERDICT_POLL = Duration.ofMillis(500);

  private final Clock clock;
  private final Duration verdictTimeout;

  public SystemUpgrade(Clock clock) {
    this(clock, VERDICT_TIMEOUT);
  }

  SystemUpgrade(Clock clock, Duration verdictTimeout) {
    this.clock = clock;
    this.verdictTimeout = verdictTimeout;
  }

  public Outcome run(RunningSystem system, String source) {
    String canonical = OsImages.canonical(source);
    String digest = OsImages.digest(canonical);
    Partitions partitions = system.partitions();
    StateFile state = StateFile.read(partitions.state().resolve(StateFile.NAME));
    Snapshots snapshots = new Snapshots(partitions.state());
    String booted = system.bootedEntry();

    Optional<SnapshotRecord> running = bootedSnapshot(booted, snapshots).flatMap(state::snapshot);
    if (running.isPresent() && isImage(running.get(), canonical, digest)) {
      if (BootEntries.ACTIVE.equals(booted)) {
        awaitVerdict(partitions.oem().resolve("grubenv"), canonical);
        // A power cut after the commit of this very upgrade leaves its last steps to do.
        new Upgrader(clock, system::checkpoint).finish(partitions, false);
      }
      return Outcome.ALREADY_RUNNING;
    }

    Optional<SnapshotRecord> active = snapshots.active().isPresent()
        ? state.snapshot(snapshots.active().getAsInt()) : Optional.empty();
    if (active.isPresent() && isImage(active.get(), canonical, digest) && !BootEntries.ACTIVE.equals(booted)) {
      throw new ToolkitException("the upgrade to " + canonical + " (" + digest + ") was rolled back: snapshot "
          + active.get().id() + " failed its boot assessment and the machine booted " + booted + ". Fix: correct the"
          + " image and upgrade to a new tag or digest");
    }
    new Upgrader(clock, system::checkpoint, system.stageHooks()).upgrade(partitions, canonical);
    return Outcome.UPGRADED;
  }

  /**
   * The system agent may start before the boot assessment ends: "already running" would then
   * report an upgrade applied that its health checks are about to roll back.
   */
  private void awaitVerdict(Path grubenv, String canonical) {
    long deadline = System.nanoTime() + verdictTimeout.toNanos();
    while ("yes".equals(GrubEnv.read(grubenv).get(BootSelection.ASSESSMENT))) {
      if (System.nanoTime() > deadline) {
        throw new ToolkitException("this boot of " + canonical + " is still on trial after " + verdictTimeout.toSeconds()
            + " s: boot assessment gave no verdict (" + BootSelection.ASSESSMENT + "=yes in " + grubenv + "). Fix: check"
            + " that elemental-boot-assessment.service ran (journalctl -u elemental-boot-assessment)");
      }
      try {
        Thread.sleep(VERDICT_POLL.toMillis()); // polling grubenv: the assessment leaves no other sign
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolkitException("interrupted while waiting for the boot assessment's verdict", e);
      }
    }
  }

  private static Optional<Integer> bootedSnapshot(String entry, Snapshots snapshots) {
    if (BootEntries.ACTIVE.equals(entry)) {
      return snapshots.active().isPresent() ? Optional.of(snapshots.active().getAsInt()) : Optional.empty();
    }
    return BootEntries.passiveSnapshot(entry);
  }

  private static boolean isImage(SnapshotRecord record, String source, String digest) {
    return record.source().equals(source) && record.digest().equals(digest);
  }
}
