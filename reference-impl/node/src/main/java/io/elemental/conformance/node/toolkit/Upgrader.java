package io.elemental.conformance.node.toolkit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code elemental upgrade --system}: the new OS becomes snapshot max+1 and active, the old
 * active becomes passive, the oldest passives go beyond {@code maxSnaps}, boot assessment is
 * armed and {@code state.yaml} records it all. Nothing on the disk changes until the new image
 * is pulled, checked and written in full; a power cut at any point leaves a bootable system.
 */
public final class Upgrader {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrader.class);
  private final Clock clock;

  public Upgrader(Clock clock) {
    this.clock = clock;
  }

  /** Returns the new active snapshot. */
  public int upgrade(Partitions partitions, String source) {
    long begin = System.nanoTime();
    Path stateMount = partitions.state();
    StateFile state = StateFile.read(stateMount.resolve(StateFile.NAME));
    Snapshots snapshots = new Snapshots(stateMount);
    try (OsTree tree = OsImages.fetch(source, stateMount.resolve(".snapshots/.work")).requireBootable()) {
      String now = Instant.now(clock).toString();
      int id = snapshots.create(tree.root());
      snapshots.activate(id);
      List<Integer> pruned = snapshots.prune(state.maxSnaps());

      List<Integer> passives = snapshots.passives();
      GrubEnv.read(partitions.oem().resolve("grubenv"))
          .set(BootSelection.PASSIVE_SNAPS, BootEntries.passiveSnapsValue(passives))
          .set(BootSelection.ASSESSMENT, "yes")
          .unset(BootSelection.LAST_ATTEMPT)
          .unset(BootSelection.SAVED_ENTRY)
          .write();

      List<SnapshotRecord> records = new ArrayList<>();
      for (SnapshotRecord r : state.snapshots()) {
        if (!pruned.contains(r.id()) && r.id() != id) records.add(r.asActive(false));
      }
      records.add(new SnapshotRecord(id, true, tree.source(), tree.digest(), now, "upgrade"));
      state.snapshots(records, now).write(stateMount.resolve(StateFile.NAME));
      LOG.info("upgraded to {} as snapshot {} (passive {}, removed {}) in {} ms", tree.source(), id, passives, pruned,
          (System.nanoTime() - begin) / 1_000_000);
      return id;
    }
  }
}
