package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.node.toolkit.simulated.BootedSystem;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install, upgrade, boot selection and fallback on a simulated disk, from directory sources. */
class SimulatedLifecycleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
  private static final long GIB = 1024L * 1024 * 1024;

  @TempDir Path tmp;

  @Test
  void installBootsActiveWithTheImagesOsAndMarkers() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));

    assertThat(SimulatedFirmware.isBootable(disk)).isTrue();
    BootedSystem booted = boot(disk);
    assertThat(booted.entry()).isEqualTo("active");
    assertThat(booted.healthy()).isTrue();
    assertThat(booted.cmdline()).contains("elemental.mode=active", "elemental.health_check");
    assertThat(Files.readString(booted.root().resolve("etc/os-release"))).contains("VERSION_ID=v1");
    assertThat(booted.root().resolve("run/elemental/active_mode")).exists();
    assertThat(Files.readString(booted.root().resolve("oem/registration/config.yaml"))).isEqualTo("url: x\n");
    assertThat(Files.readString(disk.fs("COS_STATE").resolve("state.yaml"))).contains("fromAction: \"install\"");

    // The healthy boot ended the assessment: the next boot is not checked.
    assertThat(boot(disk).cmdline()).doesNotContain("elemental.health_check");
  }

  @Test
  void persistentPathsSurviveAReboot() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    BootedSystem first = boot(disk);
    Files.writeString(first.root().resolve("root/note"), "kept");
    Files.writeString(first.root().resolve("etc/hostname"), "lost");
    BootedSystem second = boot(disk);
    assertThat(second.root().resolve("root/note")).hasContent("kept");
    assertThat(second.root().resolve("etc/hostname")).doesNotExist();
  }

  @Test
  void upgradesSwapActiveAndPassiveAndKeepMaxSnaps() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    boot(disk);
    Upgrader upgrader = new Upgrader(CLOCK);
    assertThat(upgrader.upgrade(disk.open(), "dir:" + os("v2", true))).isEqualTo(2);
    BootedSystem v2 = boot(disk);
    assertThat(v2.entry()).isEqualTo("active");
    assertThat(v2.root().resolve("etc/os-release")).content().contains("VERSION_ID=v2");

    assertThat(upgrader.upgrade(disk.open(), "dir:" + os("v3", true))).isEqualTo(3);
    Snapshots snapshots = new Snapshots(disk.fs("COS_STATE"));
    assertThat(snapshots.ids()).containsExactly(2, 3);
    assertThat(snapshots.active()).hasValue(3);
    StateFile state = StateFile.read(disk.fs("COS_STATE").resolve("state.yaml"));
    assertThat(state.snapshots()).extracting(SnapshotRecord::id, SnapshotRecord::active, SnapshotRecord::fromAction)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, false, "upgrade"),
            org.assertj.core.groups.Tuple.tuple(3, true, "upgrade"));
  }

  @Test
  void anUnhealthyUpgradeFallsBackToThePassiveAndStaysThere() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    boot(disk);
    new Upgrader(CLOCK).upgrade(disk.open(), "dir:" + os("v2", false));

    BootedSystem broken = boot(disk);
    assertThat(broken.entry()).isEqualTo("active");
    assertThat(broken.healthy()).isFalse();
    assertThat(broken.failure()).contains("health check 10-disk failed (exit 1)", "disk is gone");

    BootedSystem fallback = boot(disk);
    assertThat(fallback.entry()).isEqualTo("passive1");
    assertThat(fallback.healthy()).isTrue();
    assertThat(fallback.root().resolve("etc/os-release")).content().contains("VERSION_ID=v1");
    assertThat(fallback.root().resolve("run/elemental/passive_mode")).exists();
    assertThat(fallback.root().resolve("run/elemental/upgrade_failure")).exists();

    assertThat(boot(disk).entry()).isEqualTo("passive1");
  }

  @Test
  void nextEntryBootsOnceThenTheDefaultAgain() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    boot(disk);
    GrubEnv.read(disk.fs("COS_OEM").resolve("grubenv")).set("next_entry", "recovery").write();
    BootedSystem recovery = boot(disk);
    assertThat(recovery.mode()).isEqualTo("recovery");
    assertThat(recovery.root().resolve("run/elemental/recovery_mode")).exists();
    assertThat(boot(disk).entry()).isEqualTo("active");
  }

  @Test
  void aMissingActiveImageFallsThroughTheChain() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    boot(disk);
    new Upgrader(CLOCK).upgrade(disk.open(), "dir:" + os("v2", true));
    boot(disk);
    Files.delete(disk.fs("COS_STATE").resolve(".snapshots/2/snapshot.img"));
    assertThat(boot(disk).entry()).isEqualTo("passive1");
  }

  @Test
  void aHalfWrittenSnapshotIsClearedAndNeverBooted() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    install(disk, os("v1", true));
    Path leftover = disk.fs("COS_STATE").resolve(".snapshots/2");
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("snapshot.img.part"), "cut");
    assertThat(boot(disk).root().resolve("etc/os-release")).content().contains("v1");
    assertThat(new Upgrader(CLOCK).upgrade(disk.open(), "dir:" + os("v2", true))).isEqualTo(2);
  }

  @Test
  void aDiskTooSmallIsRefusedBeforeAnythingIsWritten() throws IOException {
    SimulatedDisk disk = disk(1 * GIB);
    assertThatThrownBy(() -> install(disk, os("v1", true)))
        .hasMessageContaining("disk /dev/vda has 1024 MiB, but the layout needs 3266 MiB")
        .hasMessageContaining("Fix:");
    assertThat(disk.isPartitioned()).isFalse();
  }

  @Test
  void aTreeWithoutKernelIsNotAnOsImage() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    Path notOs = tmp.resolve("not-os");
    Files.createDirectories(notOs.resolve("etc"));
    Files.writeString(notOs.resolve("etc/os-release"), "ID=x\n");
    assertThatThrownBy(() -> install(disk, notOs)).hasMessageContaining("is not an Elemental OS image: it has no /boot/vmlinuz");
    assertThat(disk.isPartitioned()).isFalse();
  }

  @Test
  void aRecoveryImageThatCannotBeReadFailsTheInstallBeforeSnapshotOneIsActive() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    Path missing = tmp.resolve("seed.iso");
    InstallSpec spec = new InstallSpec(disk, DiskLayout.small(), "dir:" + os("v1", true), 2, Map.of(),
        tmp.resolve("scratch")).withRecoveryImage(missing);

    assertThatThrownBy(() -> new Installer(CLOCK).install(spec))
        .hasMessageContaining("cannot copy " + missing + " as the recovery image");
    // Snapshot 1 was written alongside, but never made active.
    assertThat(new Snapshots(disk.fs("COS_STATE")).active()).isEmpty();
  }

  @Test
  void theRecoveryImageIsCopiedFromTheGivenImage() throws IOException {
    SimulatedDisk disk = disk(4 * GIB);
    Path seed = tmp.resolve("seed.iso");
    Files.writeString(seed, "an ISO holding the squashfs");
    new Installer(CLOCK).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os("v1", true), 2, Map.of(),
        tmp.resolve("scratch")).withRecoveryImage(seed));

    assertThat(disk.fs("COS_RECOVERY").resolve(RecoveryImage.PATH)).hasContent("an ISO holding the squashfs");
    assertThat(boot(disk).entry()).isEqualTo("active");
  }

  private SimulatedDisk disk(long size) {
    return new SimulatedDisk("/dev/vda", tmp.resolve("disk"), size);
  }

  private void install(SimulatedDisk disk, Path os) {
    new Installer(CLOCK).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os, 2,
        Map.of("registration/config.yaml", "url: x\n".getBytes()), tmp.resolve("scratch")));
  }

  private BootedSystem boot(SimulatedDisk disk) {
    return SimulatedFirmware.boot(disk, tmp.resolve("root"));
  }

  private Path os(String version, boolean healthy) throws IOException {
    Path root = tmp.resolve("os-" + version);
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("boot"));
    Files.createDirectories(root.resolve("root"));
    Files.writeString(root.resolve("etc/os-release"), "NAME=test\nVERSION_ID=" + version + "\n");
    Files.writeString(root.resolve("boot/vmlinuz"), "kernel");
    Files.writeString(root.resolve("boot/initrd"), "initrd");
    Path checker = root.resolve(HealthCheckers.DIR).resolve("10-disk");
    Files.createDirectories(checker.getParent());
    Files.writeString(checker, healthy ? "#!/bin/sh\nexit 0\n" : "#!/bin/sh\necho disk is gone\nexit 1\n");
    Files.setPosixFilePermissions(checker, PosixFilePermissions.fromString("rwxr-xr-x"));
    return root;
  }
}
