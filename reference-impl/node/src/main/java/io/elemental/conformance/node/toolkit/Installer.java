package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.elemental.conformance.node.cloudconfig.StageHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code elemental install}: checks the disk and the OS before writing anything, then
 * partitions, installs GRUB, writes the OEM files, makes snapshot 1 active, writes the recovery
 * image, the grubenv (boot assessment armed) and {@code state.yaml}. With hooks, the cloud-config
 * stages before-install, after-install-chroot, after-install and post-install run where
 * elemental-toolkit runs them ({@link ActionHooks}).
 */
public final class Installer {
  private static final Logger LOG = LoggerFactory.getLogger(Installer.class);
  private final Clock clock;
  private final StageHooks hooks;

  /** An install that runs no cloud-config hooks. */
  public Installer(Clock clock) {
    this(clock, StageHooks.NONE);
  }

  public Installer(Clock clock, StageHooks hooks) {
    this.clock = clock;
    this.hooks = hooks;
  }

  public void install(InstallSpec spec) {
    long begin = System.nanoTime();
    spec.layout().requireFits(spec.device().name(), spec.device().sizeBytes());
    try (OsTree tree = OsImages.fetch(spec.source(), spec.scratch()).requireBootable();
        Partitions partitions = spec.device().partition(spec.layout());
        ActionHooks stages = new ActionHooks(hooks, "install", partitions)) {
      String now = Instant.now(clock).toString();
      stages.before();
      EfiBoot.install(partitions.efi());
      // As upstream: the cloud-config is on COS_OEM before after-install-chroot, which sees it at /oem.
      writeOemFiles(partitions.oem(), spec.oemFiles());
      Path root = stages.after(tree.root(), tree.owned());

      // The recovery image and snapshot 1 go to two partitions at once: one mostly reads the seed
      // medium (or compresses), the other mostly writes. Measured in a VM: the ISO copy 28-30 s
      // beside a snapshot image of 28-39 s, where copying first had cost up to 19 s more.
      CompletableFuture<Void> recovery = CompletableFuture.runAsync(() -> writeRecovery(spec, root, partitions),
          runnable -> new Thread(runnable, "recovery-image").start());
      Snapshots snapshots = new Snapshots(partitions.state());
      int id;
      try {
        id = snapshots.create(root);
      } catch (RuntimeException e) {
        recovery.exceptionally(ignored -> null).join(); // its partition is unmounted next; this failure is the one told
        throw e;
      }
      awaitRecovery(recovery);
      snapshots.activate(id);

      GrubEnv.read(partitions.oem().resolve("grubenv"))
          .set(BootSelection.PASSIVE_SNAPS, "")
          .set(BootSelection.ASSESSMENT, "yes")
          .write();
      Files.createDirectories(partitions.persistent().resolve(".state"));
      stages.post();

      StateFile state = StateFile.empty()
          .partitions(spec.layout(), spec.maxSnaps(), now)
          .snapshots(List.of(new SnapshotRecord(id, true, tree.source(), tree.digest(), now, "install")), now)
          .recovery(tree.source(), tree.digest(), now, "install");
      state.write(partitions.recovery().resolve(StateFile.NAME));
      state.write(partitions.state().resolve(StateFile.NAME));
      LOG.info("installed {} to {} in {} ms", tree.source(), spec.device().name(), (System.nanoTime() - begin) / 1_000_000);
    } catch (IOException e) {
      throw new ToolkitException("install to " + spec.device().name() + " failed: " + e.getMessage(), e);
    }
  }

  private static void writeRecovery(InstallSpec spec, Path root, Partitions partitions) {
    if (spec.recoveryImage().isPresent()) {
      RecoveryImage.copy(spec.recoveryImage().get(), partitions.recovery());
    } else {
      RecoveryImage.write(root, partitions.recovery());
    }
  }

  /** Waits for the recovery image, failing as it failed. */
  private static void awaitRecovery(CompletableFuture<Void> recovery) {
    try {
      recovery.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) throw cause;
      throw e;
    }
  }

  private static void writeOemFiles(Path oem, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path target = oem.resolve(file.getKey()).normalize();
      if (!target.startsWith(oem)) throw new ToolkitException("OEM file " + file.getKey() + " is outside /oem");
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
    }
  }
}
