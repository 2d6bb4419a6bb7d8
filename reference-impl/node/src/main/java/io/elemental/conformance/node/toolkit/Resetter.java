package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import io.elemental.conformance.node.cloudconfig.StageHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code elemental reset}, run from the recovery system: COS_PERSISTENT (and COS_OEM, when asked)
 * emptied, then the recovery image becomes a new active snapshot (max+1, {@code fromAction:
 * reset}), as an upgrade would make it, with boot assessment armed. The machine is then as
 * installed, and registers again as a new one. The running system's cloud-config hooks
 * ({@link RunningSystem#stageHooks()}) run before-reset, after-reset-chroot (in the new tree),
 * after-reset and post-reset where elemental-toolkit runs them; they never fail the reset.
 */
public final class Resetter {
  private static final Logger LOG = LoggerFactory.getLogger(Resetter.class);
  private final Clock clock;

  public Resetter(Clock clock) {
    this.clock = clock;
  }

  /** What to wipe: Elemental's reset-persistent and reset-oem, both on by default. */
  public record Options(boolean resetPersistent, boolean resetOem) {}

  public int reset(RunningSystem system, Options options) {
    if (!BootEntries.RECOVERY.equals(system.bootedEntry())) {
      throw new ToolkitException("reset runs from the recovery system, but this machine booted "
          + system.bootedEntry() + ". Fix: boot recovery (grub2-editenv /oem/grubenv set next_entry=recovery) first");
    }
    long begin = System.nanoTime();
    try (Partitions partitions = system.partitions();
        ActionHooks stages = new ActionHooks(system.stageHooks(), "reset", partitions)) {
      return reset(partitions, options, begin, stages);
    }
  }

  private int reset(Partitions partitions, Options options, long begin, ActionHooks stages) {
    if (options.resetPersistent()) empty(partitions.persistent());
    if (options.resetOem()) empty(partitions.oem());
    stages.before();

    Path stateMount = partitions.state();
    StateFile state = StateFile.read(stateMount.resolve(StateFile.NAME));
    Snapshots snapshots = new Snapshots(stateMount);
    Path tree = stateMount.resolve(".snapshots/.work/recovery-" + System.nanoTime());
    try {
      Files.createDirectories(tree.getParent());
      extractRecovery(partitions.recovery(), tree);
      stages.after(tree, true);
      String now = Instant.now(clock).toString();
      int id = snapshots.create(tree);
      List<SnapshotRecord> records = new ArrayList<>(state.snapshots());
      StateFile recovery = StateFile.read(partitions.recovery().resolve(StateFile.NAME));
      records.add(new SnapshotRecord(id, false, recovery.recoverySource(), recovery.recoveryDigest(), now, "reset"));
      state.snapshots(records, now).write(stateMount.resolve(StateFile.NAME));
      snapshots.activate(id);
      new Upgrader(clock).finish(partitions, true);
      stages.post();
      LOG.info("reset: snapshot {} made from the recovery image in {} ms", id, (System.nanoTime() - begin) / 1_000_000);
      return id;
    } catch (IOException e) {
      throw new ToolkitException("cannot unpack the recovery image under " + tree + ": " + e.getMessage(), e);
    } finally {
      try {
        if (Files.exists(tree)) LayerUnpacker.deleteTree(tree);
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", tree, e.getMessage());
      }
    }
  }

  /**
   * Unpacks the recovery image: a squashfs of the OS, or (a machine installed from its seed image)
   * that ISO, whose {@code LiveOS/squashfs.img} is the OS.
   */
  private static void extractRecovery(Path recoveryMount, Path tree) throws IOException {
    Path image = recoveryMount.resolve(RecoveryImage.PATH);
    if (!isIso9660(image)) {
      RecoveryImage.extract(recoveryMount, tree);
      return;
    }
    Path iso = tree.resolveSibling(tree.getFileName() + ".iso");
    Files.createDirectories(iso);
    HostTools.run("mount", "-o", "ro,loop", image.toString(), iso.toString());
    try {
      HostTools.run(List.of("unsquashfs", "-f", "-n", "-d", tree.toString(), iso.resolve("LiveOS/squashfs.img").toString()));
    } finally {
      HostTools.run("umount", iso.toString());
      Files.deleteIfExists(iso);
    }
  }

  /** ISO 9660: "CD001" in the first volume descriptor, at byte 32769. */
  static boolean isIso9660(Path image) throws IOException {
    try (var channel = Files.newByteChannel(image)) {
      if (channel.size() < 32774) return false;
      java.nio.ByteBuffer id = java.nio.ByteBuffer.allocate(5);
      channel.position(32769);
      while (id.hasRemaining() && channel.read(id) >= 0) { }
      return "CD001".equals(new String(id.array(), java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  private static void empty(Path mount) {
    try (Stream<Path> entries = Files.list(mount)) {
      for (Path entry : entries.toList()) LayerUnpacker.deleteTree(entry);
    } catch (IOException e) {
      throw new ToolkitException("cannot empty " + mount + ": " + e.getMessage(), e);
    }
  }
}
