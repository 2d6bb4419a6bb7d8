package io.elemental.conformance.node.toolkit.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.node.toolkit.DiskBootedFrom;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.InstallSpec;
import io.elemental.conformance.node.toolkit.Installer;
import io.elemental.conformance.node.toolkit.Resetter;
import io.elemental.conformance.node.toolkit.SnapshotRecord;
import io.elemental.conformance.node.toolkit.Snapshots;
import io.elemental.conformance.node.toolkit.StateFile;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.simulated.BootedSystem;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery system's reset ({@code elemental-register --reset}), on a simulated disk booted in recovery. */
class RecoveryResetTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
  private static final long GIB = 1024L * 1024 * 1024;
  private static final byte[] REGISTRATION = "elemental:\n  registration:\n    url: https://x/elemental/registration/t\n"
      .getBytes();

  @TempDir Path tmp;

  @Test
  void theResetOptionsAreTheLastAnswersElseElementalsDefaults() {
    assertThat(RecoveryReset.options(Optional.empty())).isEqualTo(new Resetter.Options(true, true));
    assertThat(RecoveryReset.options(Optional.of("elemental:\n  reset:\n    enabled: true\n")))
        .isEqualTo(new Resetter.Options(true, true));
    assertThat(RecoveryReset.options(Optional.of("elemental:\n  reset:\n    reset-persistent: false\n    reset-oem: true\n")))
        .isEqualTo(new Resetter.Options(false, true));
    assertThatThrownBy(() -> RecoveryReset.options(Optional.of("elemental: [unclosed")))
        .isInstanceOf(ToolkitException.class).hasMessageContaining("not YAML").hasMessageContaining("Fix:");
  }

  @Test
  void recoveryResetsTheDiskAndLeavesTheRegistrationWithoutItsState() throws IOException {
    SimulatedDisk disk = installedDisk();
    BootedSystem active = boot(disk);
    Files.writeString(active.root().resolve("root/notes.txt"), "mine");
    Path oem = disk.fs("COS_OEM");
    Files.writeString(oem.resolve("registration/state.yaml"), "initialRegistration: \"2026-11-26T07:00:00Z\"\n");
    Files.writeString(oem.resolve("registration/config-reply.yaml"), "elemental:\n  reset:\n    enabled: true\n");
    Files.writeString(oem.resolve(RecoveryReset.CLOUD_CONFIG), "name: \"Elemental reset\"\n");
    GrubEnv.read(oem.resolve("grubenv")).set("next_entry", "recovery").write();
    assertThat(boot(disk).entry()).isEqualTo("recovery");

    int snapshot = new RecoveryReset(CLOCK).reset(new DiskBootedFrom(disk, "recovery"),
        new Resetter.Options(true, true), REGISTRATION);

    assertThat(snapshot).isEqualTo(2);
    assertThat(Files.readAllBytes(oem.resolve("registration/config.yaml"))).isEqualTo(REGISTRATION);
    assertThat(oem.resolve("registration/state.yaml")).doesNotExist();
    assertThat(oem.resolve("registration/config-reply.yaml")).doesNotExist();
    assertThat(oem.resolve(RecoveryReset.CLOUD_CONFIG)).doesNotExist();
    assertThat(new Snapshots(disk.fs("COS_STATE")).active()).hasValue(2);
    SnapshotRecord record = StateFile.read(disk.fs("COS_STATE").resolve(StateFile.NAME)).snapshot(2).orElseThrow();
    assertThat(record.active()).isTrue();
    assertThat(record.fromAction()).isEqualTo("reset");

    BootedSystem reset = boot(disk);
    assertThat(reset.entry()).isEqualTo("active");
    assertThat(reset.cmdline()).contains("elemental.health_check");
    assertThat(reset.root().resolve("root/notes.txt")).doesNotExist();
    assertThat(reset.root().resolve("oem/registration/config.yaml")).exists();
  }

  @Test
  void keepingCosOemStillDropsTheStateAndTheCloudConfig() throws IOException {
    SimulatedDisk disk = installedDisk();
    boot(disk);
    Path oem = disk.fs("COS_OEM");
    Files.writeString(oem.resolve("registration/state.yaml"), "initialRegistration: \"2026-11-26T07:00:00Z\"\n");
    Files.writeString(oem.resolve(RecoveryReset.CLOUD_CONFIG), "name: \"Elemental reset\"\n");
    Files.writeString(oem.resolve("kept.yaml"), "mine\n");
    GrubEnv.read(oem.resolve("grubenv")).set("next_entry", "recovery").write();
    boot(disk);

    new RecoveryReset(CLOCK).reset(new DiskBootedFrom(disk, "recovery"), new Resetter.Options(false, false),
        REGISTRATION);

    assertThat(oem.resolve("kept.yaml")).hasContent("mine");
    assertThat(oem.resolve("registration/state.yaml")).doesNotExist();
    assertThat(oem.resolve(RecoveryReset.CLOUD_CONFIG)).doesNotExist();
  }

  @Test
  void onlyTheRecoverySystemResets() throws IOException {
    SimulatedDisk disk = installedDisk();
    boot(disk);
    assertThatThrownBy(() -> new RecoveryReset(CLOCK).reset(new DiskBootedFrom(disk, "active"),
        new Resetter.Options(true, true), REGISTRATION)).isInstanceOf(ToolkitException.class).hasMessageContaining("booted active")
        .hasMessageContaining("Fix:");
    assertThat(new Snapshots(disk.fs("COS_STATE")).ids()).containsExactly(1);
  }

  private SimulatedDisk installedDisk() throws IOException {
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4 * GIB);
    Path os = tmp.resolve("os");
    Files.createDirectories(os.resolve("etc"));
    Files.createDirectories(os.resolve("boot"));
    Files.createDirectories(os.resolve("root"));
    Files.writeString(os.resolve("etc/os-release"), "NAME=test\nVERSION_ID=v1\n");
    Files.writeString(os.resolve("boot/vmlinuz"), "kernel");
    Files.writeString(os.resolve("boot/initrd"), "initrd");
    new Installer(CLOCK).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os, 2,
        Map.of("registration/config.yaml", REGISTRATION), tmp.resolve("scratch")));
    return disk;
  }

  private BootedSystem boot(SimulatedDisk disk) {
    return SimulatedFirmware.boot(disk, tmp.resolve("root"));
  }
}
