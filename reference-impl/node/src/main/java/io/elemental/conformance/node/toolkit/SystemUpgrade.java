package io.elemental.conformance.node.toolkit;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code elemental upgrade --system} as a plan instruction runs it: idempotent, because the
 * system agent applies a plan again after every start (and so after the upgrade's own reboot).
 *
 * <ul>
 *   <li>already running the image (same source and manifest digest): done, nothing written;
 *   <li>the active snapshot is that image but the machine booted another entry: the upgrade was
 *       rolled back by boot assessment, and that is reported as a failure;
 *   <li>otherwise: upgrade, and the caller reboots.
 * </ul>
 * The registry is asked for the digest first, so a missing image or a registry that is down
 * fails before anything on the disk changes.
 */
public final class SystemUpgrade {
  public enum Outcome { ALREADY_RUNNING, UPGRADED }

  private final Clock clock;

  public SystemUpgrade(Clock clock) {
    this.clock = clock;
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
      // A power cut after the commit of this very upgrade leaves its last steps to do.
      if (BootEntries.ACTIVE.equals(booted)) new Upgrader(clock, system::checkpoint).finish(partitions, false);
      return Outcome.ALREADY_RUNNING;
    }

    Optional<SnapshotRecord> active = snapshots.active().isPresent()
        ? state.snapshot(snapshots.active().getAsInt()) : Optional.empty();
    if (active.isPresent() && isImage(active.get(), canonical, digest) && !BootEntries.ACTIVE.equals(booted)) {
      throw new ToolkitException("the upgrade to " + canonical + " (" + digest + ") was rolled back: snapshot "
          + active.get().id() + " failed its boot assessment and the machine booted " + booted + ". Fix: correct the"
          + " image and upgrade to a new tag or digest");
    }
    new Upgrader(clock, system::checkpoint).upgrade(partitions, canonical);
    return Outcome.UPGRADED;
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
