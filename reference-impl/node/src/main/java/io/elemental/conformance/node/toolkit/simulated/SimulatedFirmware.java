package io.elemental.conformance.node.toolkit.simulated;

import io.elemental.conformance.node.toolkit.BootAssessment;
import io.elemental.conformance.node.toolkit.BootEntries;
import io.elemental.conformance.node.toolkit.BootSelection;
import io.elemental.conformance.node.toolkit.GrubConfig;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.HealthCheckers;
import io.elemental.conformance.node.toolkit.ImmutableRoot;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.RecoveryImage;
import io.elemental.conformance.node.toolkit.SnapshotImage;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UEFI + GRUB + the initramfs of a @sim machine, following the real ones' rules: the disk is
 * bootable when COS_GRUB holds the EFI loader and grub.cfg; the entry is chosen by
 * {@link BootSelection} over the grubenv on COS_OEM (saved as GRUB's save_env would); an entry
 * whose image is missing or unreadable falls through the chain; the chosen image is "mounted"
 * by extracting it into a fresh root, with COS_OEM at {@code /oem}, the persistent paths linked
 * to COS_PERSISTENT and the mode markers in {@code /run}; then the health checks run and the
 * boot assessment records the verdict.
 */
public final class SimulatedFirmware {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedFirmware.class);
  private static final String LOADER = "EFI/BOOT/bootx64.efi";

  private SimulatedFirmware() {}

  /** Whether the disk has GRUB as install writes it; otherwise a machine boots its next device. */
  public static boolean isBootable(SimulatedDisk disk) {
    if (!disk.isPartitioned()) return false;
    Path efi = disk.fs(Partition.EFI);
    return Files.isRegularFile(efi.resolve(LOADER)) && Files.isRegularFile(efi.resolve(GrubConfig.PATH));
  }

  /** One boot from the disk into {@code root} (emptied first). */
  public static BootedSystem boot(SimulatedDisk disk, Path root) {
    if (!isBootable(disk)) throw new ToolkitException("no bootable device: " + disk.name() + " has no Elemental GRUB");
    Path oem = disk.fs(Partition.OEM);
    GrubEnv env = GrubEnv.read(oem.resolve("grubenv"));
    BootSelection.Choice choice = BootSelection.choose(env);
    env.write();
    List<String> tries = new ArrayList<>();
    tries.add(choice.entry());
    tries.addAll(choice.fallback());
    for (String entry : tries) {
      Optional<String> problem = mount(disk, entry, root);
      if (problem.isPresent()) {
        LOG.warn("{}: entry {} cannot boot ({}); GRUB falls back", disk.name(), entry, problem.get());
        continue;
      }
      String mode = BootEntries.mode(entry);
      String cmdline = "root=LABEL=" + (mode.equals("recovery") ? Partition.RECOVERY : Partition.STATE)
          + " elemental.image=" + entry + " elemental.mode=" + mode + (choice.healthCheck() ? " elemental.health_check" : "")
          + (env.isSet(BootSelection.EXTRA_CMDLINE) ? " " + env.get(BootSelection.EXTRA_CMDLINE) : "");
      assemble(disk, root, mode);
      if (!choice.healthCheck()) return new BootedSystem(entry, mode, cmdline, root, true, "");
      HealthCheckers.Verdict verdict = HealthCheckers.run(root);
      if (verdict.healthy()) {
        GrubEnv after = GrubEnv.read(oem.resolve("grubenv"));
        if (BootAssessment.recordHealthy(after, entry)) touch(root.resolve(ImmutableRoot.UPGRADE_FAILURE.substring(1)));
        after.write();
      }
      return new BootedSystem(entry, mode, cmdline, root, verdict.healthy(), verdict.failure());
    }
    throw new ToolkitException("no entry of " + disk.name() + " can boot (tried " + tries + ")");
  }

  private static Optional<String> mount(SimulatedDisk disk, String entry, Path root) {
    try {
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) LayerUnpacker.deleteTree(root);
      Files.createDirectories(root);
      if (BootEntries.RECOVERY.equals(entry)) {
        Path recovery = disk.fs(Partition.RECOVERY);
        if (!Files.isRegularFile(recovery.resolve(RecoveryImage.PATH))) return Optional.of("no recovery image");
        RecoveryImage.extract(recovery, root);
        return Optional.empty();
      }
      Path snapshots = disk.fs(Partition.STATE).resolve(".snapshots");
      Path image = BootEntries.ACTIVE.equals(entry) ? snapshots.resolve("active")
          : BootEntries.passiveSnapshot(entry).map(id -> snapshots.resolve(id + "/snapshot.img")).orElse(null);
      if (image == null || !Files.isRegularFile(image)) return Optional.of("no image for " + entry);
      SnapshotImage.extract(image, root);
      return Optional.empty();
    } catch (IOException | ToolkitException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** What the initramfs does after mounting the image: /oem, persistent paths, mode markers. */
  private static void assemble(SimulatedDisk disk, Path root, String mode) {
    try {
      link(root.resolve("oem"), disk.fs(Partition.OEM));
      Path persistent = disk.fs(Partition.PERSISTENT);
      for (String path : ImmutableRoot.PERSISTENT_PATHS) {
        Path bind = persistent.resolve(ImmutableRoot.bindDir(path));
        Path inRoot = root.resolve(path.substring(1));
        if (!Files.isDirectory(bind)) {
          // First boot: the persistent copy starts as what the image has there, as Elemental's bind does.
          Files.createDirectories(bind);
          if (Files.isDirectory(inRoot, LinkOption.NOFOLLOW_LINKS)) copyTree(inRoot, bind);
        }
        link(inRoot, bind);
      }
      touch(root.resolve(ImmutableRoot.modeMarker(mode).substring(1)));
      touch(root.resolve((ImmutableRoot.LEGACY_MODE_DIR + "/" + mode + "_mode").substring(1)));
    } catch (IOException e) {
      throw new ToolkitException("cannot assemble the simulated root " + root + ": " + e.getMessage(), e);
    }
  }

  private static void link(Path at, Path target) throws IOException {
    if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) LayerUnpacker.deleteTree(at);
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, target.toAbsolutePath());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, target, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) Files.createFile(file);
    } catch (IOException e) {
      throw new ToolkitException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
