package io.elemental.conformance.node.toolkit.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.node.toolkit.DiskLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostToolkitTest {
  @TempDir Path dir;

  @Test
  void bootedEntryComesFromGrubsCommandLineElseTheModeMarkersElseLive() throws Exception {
    Path cmdline = dir.resolve("cmdline");
    Path modes = Files.createDirectories(dir.resolve("modes"));
    Files.writeString(cmdline, "BOOT_IMAGE=x root=LABEL=COS_STATE elemental.image=passive3 elemental.mode=passive"
        + " elemental.health_check\n");
    HostRunningSystem system = new HostRunningSystem(cmdline, modes);
    assertThat(system.bootedEntry()).isEqualTo("passive3");
    assertThat(system.cmdlineHas("elemental.health_check")).isTrue();
    assertThat(system.cmdlineValue("elemental.mode")).contains("passive");

    Files.writeString(cmdline, "root=live:CDLABEL=COS_LIVE rd.live.image\n");
    assertThat(system.bootedEntry()).isEqualTo(HostRunningSystem.LIVE);
    assertThat(system.isLive()).isTrue();
    Files.writeString(modes.resolve("recovery_mode"), "");
    assertThat(system.bootedEntry()).isEqualTo("recovery");
  }

  @Test
  void partitionsAreNamedAndTypedForGptAndFirmware() {
    assertThat(DiskLayout.small().sfdiskScript()).isEqualTo("""
        label: gpt
        size=64MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=efi
        size=64MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=oem
        size=1024MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=recovery
        size=2048MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=state
        size=64MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=persistent
        """);
    assertThat(new LinuxDisk(Path.of("/dev/vda")).partitionDevice(4)).isEqualTo(Path.of("/dev/vda4"));
    assertThat(new LinuxDisk(Path.of("/dev/nvme0n1")).partitionDevice(1)).isEqualTo(Path.of("/dev/nvme0n1p1"));
    assertThat(new LinuxDisk(Path.of("/dev/loop3")).partitionDevice(2)).isEqualTo(Path.of("/dev/loop3p2"));
  }
}
