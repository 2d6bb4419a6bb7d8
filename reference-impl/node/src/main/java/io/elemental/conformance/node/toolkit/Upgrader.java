package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.node.cloudconfig.StageHooks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code elemental upgrade --system}: the new OS becomes snapshot max+1 and active, the old
 * active becomes passive, the oldest passives go beyond {@code maxSnaps}, boot assessment is
 * armed and {@code state.yaml} records it all.
 *
 * <p>Power cuts: nothing on the disk changes until the new image is pulled and checked; the
 * image is recorded in {@code state.yaml} before the active link is switched, and that switch
 * (one rename) is the commit. Before it, the machine boots the old system and the next upgrade
 * clears the debris (snapshots newer than the active one); after it, the machine boots the new
 * system, and {@link #finish} (run again when the upgrade is re-applied) completes the rest.
 *
 * <p>With hooks, the cloud-config stages before-upgrade, after-upgrade-chroot (in the new tree),
 * after-upgrade and post-upgrade run as elemental-toolkit runs them ({@link ActionHooks}); they
 * never fail the upgrade.
 */
public final class Upgrader {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrader.class);

  /** The moments between an upgrade's writes, in order, where a fault-injection run may cut the power. */
  public static final List<String> CHECKPOINTS = List.of(Snapshots.IMAGE_UNFINISHED, "image written",
      "snapshot recorded", "active switched", "grubenv written", "passives pruned", "state written");

  private final Clock clock;
  private final Consumer<String> checkpoint;
  private final StageHooks hooks;

  public Upgrader(Clock clock) {
    this(clock, point -> { });
  }

  /** With {@code checkpoint} told each of {@link #CHECKPOINTS} as it is passed; no cloud-config hooks. */
  public Upgrader(Clock clock, Consumer<String> checkpoint) {
    this(clock, checkpoint, StageHooks.NONE);
  }

  public Upgrader(Clock clock, Consumer<String> checkpoint, StageHooks hooks) {
    this.clock = clock;
    this.checkpoint = checkpoint;
    this.hooks = hooks;
  }

  /** Returns the new active snapshot. */
  public int upgrade(Partitions partitions, String source) {
    long begin = System.nanoTime();
    Path stateMount = partitions.state();
    Snapshots snapshots = new Snapshots(stateMount);
    clearDebris(stateMount, snapshots);
    try (ActionHooks stages = new ActionHooks(hooks, "upgrade", partitions)) {
      stages.before();
      return upgrade(partitions, source, stages, begin);
    }
  }

  private int upgrade(Partitions partitions, String source, ActionHooks stages, long begin) {
    Path stateMount = partitions.state();
    Snapshots snapshots = new Snapshots(stateMount);
    try (OsTree tree = OsImages.fetch(source, stateMount.resolve(".snapshots/.work")).requireBootable()) {
      Path root = stages.after(tree.root(), tree.owned());
      String now = Instant.now(clock).toString();
      int id = snapshots.create(root, checkpoint);
      checkpoint.accept("image written");

      StateFile state = StateFile.read(stateMount.resolve(StateFile.NAME));
      List<SnapshotRecord> records = new ArrayList<>(state.snapshots());
      records.add(new SnapshotRecord(id, false, tree.source(), tree.digest(), now, "upgrade"));
      state.snapshots(records, now).write(stateMount.resolve(StateFile.NAME));
      checkpoint.accept("snapshot recorded");

      snapshots.activate(id);
      checkpoint.accept("active switched");
      finish(partitions, true);
      stages.post();
      LOG.info("upgraded to {} as snapshot {} (passive {}) in {} ms", tree.source(), id, snapshots.passives(),
          (System.nanoTime() - begin) / 1_000_000);
      return id;
    }
  }

  /**
   * What follows the switch of the active link, safe to run again: GRUB's passive entries (and,
   * after an upgrade, boot assessment armed), the oldest passives beyond maxSnaps removed, and
   * {@code state.yaml} matching the disk.
   */
  public void finish(Partitions partitions, boolean armBootAssessment) {
    Path stateMount = partitions.state();
    Snapshots snapshots = new Snapshots(stateMount);
    StateFile state = StateFile.read(stateMount.resolve(StateFile.NAME));
    List<Integer> kept = snapshots.passives().stream().limit(Math.max(0, state.maxSnaps() - 1)).toList();

    GrubEnv env = GrubEnv.read(partitions.oem().resolve("grubenv"))
        .set(BootSelection.PASSIVE_SNAPS, BootEntries.passiveSnapsValue(kept));
    if (armBootAssessment) {
      env.set(BootSelection.ASSESSMENT, "yes").unset(BootSelection.LAST_ATTEMPT).unset(BootSelection.SAVED_ENTRY);
    }
    env.write();
    checkpoint.accept("grubenv written");

    snapshots.prune(state.maxSnaps());
    checkpoint.accept("passives pruned");

    OptionalInt active = snapshots.active();
    List<Integer> onDisk = snapshots.ids();
    List<SnapshotRecord> records = state.snapshots().stream().filter(r -> onDisk.contains(r.id()))
        .map(r -> r.asActive(active.isPresent() && r.id() == active.getAsInt())).toList();
    state.snapshots(records, Instant.now(clock).toString()).write(stateMount.resolve(StateFile.NAME));
    checkpoint.accept("state written");
  }

  /** Snapshots newer than the active one were left by an upgrade cut before its commit. */
  private static void clearDebris(Path stateMount, Snapshots snapshots) {
    snapshots.removeIncomplete();
    OptionalInt active = snapshots.active();
    if (active.isEmpty()) return;
    List<Integer> debris = snapshots.ids().stream().filter(id -> id > active.getAsInt()).toList();
    if (debris.isEmpty()) return;
    debris.forEach(snapshots::remove);
    StateFile state = StateFile.read(stateMount.resolve(StateFile.NAME));
    state.snapshots(state.snapshots().stream().filter(r -> !debris.contains(r.id())).toList(),
        state.snapshots().isEmpty() ? "" : Instant.now().toString()).write(stateMount.resolve(StateFile.NAME));
    LOG.info("removed snapshots {}, left by an upgrade that did not finish", debris);
  }
}
