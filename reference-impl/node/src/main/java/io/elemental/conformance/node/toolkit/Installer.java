package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code elemental install}: checks the disk and the OS before writing anything, then
 * partitions, installs GRUB, makes snapshot 1 active, writes the recovery image, the grubenv
 * (boot assessment armed), the OEM files and {@code state.yaml}.
 */
public final class Installer {
  private static final Logger LOG = LoggerFactory.getLogger(Installer.class);
  private final Clock clock;

  public Installer(Clock clock) {
    this.clock = clock;
  }

  public void install(InstallSpec spec) {
    long begin = System.nanoTime();
    spec.layout().requireFits(spec.device().name(), spec.device().sizeBytes());
    try (OsTree tree = OsImages.fetch(spec.source(), spec.scratch()).requireBootable();
        Partitions partitions = spec.device().partition(spec.layout())) {
      String now = Instant.now(clock).toString();
      EfiBoot.install(partitions.efi());

      Snapshots snapshots = new Snapshots(partitions.state());
      int id = snapshots.create(tree.root());
      snapshots.activate(id);
      if (spec.recoverySquashfs().isPresent()) {
        RecoveryImage.copy(spec.recoverySquashfs().get(), partitions.recovery());
      } else {
        RecoveryImage.write(tree.root(), partitions.recovery());
      }

      GrubEnv.read(partitions.oem().resolve("grubenv"))
          .set(BootSelection.PASSIVE_SNAPS, "")
          .set(BootSelection.ASSESSMENT, "yes")
          .write();
      writeOemFiles(partitions.oem(), spec.oemFiles());
      Files.createDirectories(partitions.persistent().resolve(".state"));

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

  private static void writeOemFiles(Path oem, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path target = oem.resolve(file.getKey()).normalize();
      if (!target.startsWith(oem)) throw new ToolkitException("OEM file " + file.getKey() + " is outside /oem");
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
    }
  }
}
