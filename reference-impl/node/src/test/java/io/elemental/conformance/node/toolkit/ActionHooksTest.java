package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.node.cloudconfig.CloudConfigHooks;
import io.elemental.conformance.node.cloudconfig.SystemRoot;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install and upgrade run the cloud-config stages elemental-toolkit runs, in its order and places:
 * before-<action> and after-<action> on the running system, after-<action>-chroot in the new tree
 * (what it writes is in the snapshot), post-<action> last; a failing hook fails nothing.
 */
class ActionHooksTest {
  private static final long GIB = 1024L * 1024 * 1024;
  @TempDir Path tmp;

  @Test
  void installRunsItsStagesInOrderAndTheChrootStageWritesIntoTheNewSystem() throws IOException {
    Path live = tmp.resolve("live");
    Files.createDirectories(live.resolve("oem"));
    // The running system's cloud-config: what before-, after- and post-install read.
    Files.writeString(live.resolve("oem/10.yaml"), """
        stages:
          before-install:
            - commands: ['echo before-install >> "$ROOT/order"']
          after-install:
            - commands: ['echo after-install >> "$ROOT/order"', 'exit 9']
          post-install:
            - commands: ['echo post-install >> "$ROOT/order"']
        """);
    StringWriter console = new StringWriter();
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4 * GIB);
    Path os = os();
    // The registration's cloud-config on COS_OEM: the chroot sees it at /oem.
    String hooks = """
        stages:
          after-install-chroot:
            - name: into the new root
              files:
                - path: /etc/from-chroot
                  content: made in after-install-chroot
                  permissions: 0644
              commands: ['echo chroot >> "$ROOT/etc/chroot-order"']
        """;

    new Installer(Clock.systemUTC(), CloudConfigHooks.at(live, new PrintWriter(console, true))).install(
        new InstallSpec(disk, DiskLayout.small(), "dir:" + os, 2, Map.of("elemental-cloud-init.yaml", hooks.getBytes()),
            tmp.resolve("scratch")));

    assertThat(live.resolve("order")).hasContent("before-install\nafter-install\npost-install\n");
    Path booted = SimulatedFirmware.boot(disk, tmp.resolve("root")).root();
    assertThat(booted.resolve("etc/from-chroot")).hasContent("made in after-install-chroot");
    assertThat(booted.resolve("etc/chroot-order")).hasContent("chroot\n");
    // The source tree (the live system's read-only root) was copied, not changed.
    assertThat(os.resolve("etc/from-chroot")).doesNotExist();
    assertThat(console.toString()).contains("stage after-install step \"0\": command \"exit 9\" exited 9",
        "stage after-install-chroot: 1 steps applied from 1 files, 0 failures");
    assertThat(disk.fs("COS_STATE").resolve(".snapshots/.work")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  @Test
  void beforeInstallReadsTheRunningSystemsCloudConfig() throws IOException {
    Path live = tmp.resolve("live");
    Files.createDirectories(live.resolve("oem"));
    Files.writeString(live.resolve("oem/10.yaml"), """
        stages:
          before-install:
            - commands: ['echo before >> "$ROOT/order"']
        """);
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4 * GIB);
    new Installer(Clock.systemUTC(), CloudConfigHooks.at(live, new PrintWriter(new StringWriter(), true))).install(
        new InstallSpec(disk, DiskLayout.small(), "dir:" + os(), 2, Map.of(), tmp.resolve("scratch")));
    assertThat(live.resolve("order")).hasContent("before\n");
  }

  @Test
  void upgradeRunsItsStagesAndTheNewImagesAfterUpgradeStage() throws IOException {
    Path live = tmp.resolve("live");
    Files.createDirectories(live);
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4 * GIB);
    new Installer(Clock.systemUTC()).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os(), 2, Map.of(),
        tmp.resolve("scratch")));
    // On the running system, /oem is COS_OEM.
    Files.writeString(disk.fs("COS_OEM").resolve("10.yaml"), """
        stages:
          before-upgrade:
            - commands: ['echo before-upgrade >> "$ROOT/order"']
          after-upgrade-chroot:
            - files:
                - path: /etc/upgraded-by-hook
                  content: v2
                  permissions: 0644
        """);
    Path v2 = os();
    Files.createDirectories(v2.resolve("system/oem"));
    Files.writeString(v2.resolve("system/oem/50.yaml"),
        "stages:\n  after-upgrade:\n    - commands: ['echo image-after-upgrade >> \"$ROOT/order\"']\n");
    StringWriter console = new StringWriter();

    SystemRoot running = SystemRoot.at(live).withMount("/oem", disk.fs("COS_OEM"));
    new Upgrader(Clock.systemUTC(), point -> { }, CloudConfigHooks.at(running, new PrintWriter(console, true)))
        .upgrade(disk.open(), "dir:" + v2);

    assertThat(live.resolve("order")).hasContent("before-upgrade\nimage-after-upgrade\n");
    Path booted = SimulatedFirmware.boot(disk, tmp.resolve("root")).root();
    assertThat(booted.resolve("etc/upgraded-by-hook")).hasContent("v2");
    assertThat(console.toString()).doesNotContain("failures, 1").contains("stage post-upgrade");
  }

  @Test
  void resetRunsItsStagesFromTheRecoverySystemAndKeepsOemWhenAsked() throws IOException {
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4 * GIB);
    new Installer(Clock.systemUTC()).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os(), 2, Map.of(),
        tmp.resolve("scratch")));
    Files.writeString(disk.fs("COS_OEM").resolve("20.yaml"), """
        stages:
          before-reset:
            - commands: ['echo before-reset >> "$ROOT/order"']
          after-reset-chroot:
            - files:
                - path: /etc/reset-by-hook
                  content: reset
                  permissions: 0600
          after-reset:
            - commands: ['echo after-reset >> "$ROOT/order"']
          post-reset:
            - commands: ['echo post-reset >> "$ROOT/order"']
        """);
    Path live = Files.createDirectories(tmp.resolve("recovery-root"));
    SystemRoot running = SystemRoot.at(live).withMount("/oem", disk.fs("COS_OEM"));
    StringWriter console = new StringWriter();
    RunningSystem recovery = new RunningSystem() {
      @Override
      public Partitions partitions() {
        return disk.open();
      }

      @Override
      public String bootedEntry() {
        return BootEntries.RECOVERY;
      }

      @Override
      public void reboot() {
        throw new AssertionError("reset rebooted");
      }

      @Override
      public io.elemental.conformance.node.cloudconfig.StageHooks stageHooks() {
        return CloudConfigHooks.at(running, new PrintWriter(console, true));
      }
    };

    new Resetter(Clock.systemUTC()).reset(recovery, new Resetter.Options(true, false));

    assertThat(live.resolve("order")).hasContent("before-reset\nafter-reset\npost-reset\n");
    Path booted = SimulatedFirmware.boot(disk, tmp.resolve("root")).root();
    assertThat(booted.resolve("etc/reset-by-hook")).hasContent("reset");
  }

  private Path os() throws IOException {
    Path root = Files.createTempDirectory(tmp, "os-");
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("boot"));
    Files.createDirectories(root.resolve("oem"));
    Files.writeString(root.resolve("etc/os-release"), "NAME=test\nVERSION_ID=v1\n");
    Files.writeString(root.resolve("boot/vmlinuz"), "kernel");
    Files.writeString(root.resolve("boot/initrd"), "initrd");
    return root;
  }
}
