package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upgrade re-applied on the boot it made: "already running" only once that boot passed its assessment. */
class SystemUpgradeTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  @Test
  void waitsForTheBootAssessmentsVerdictBeforeSayingAlreadyRunning() throws Exception {
    SimulatedDisk disk = installed();
    Path grubenv = disk.open().oem().resolve("grubenv");
    assertThat(GrubEnv.read(grubenv).get(BootSelection.ASSESSMENT)).as("the install put the boot on trial")
        .isEqualTo("yes");

    long begin = System.nanoTime();
    CompletableFuture<Void> healthy = CompletableFuture.runAsync(() -> {
      GrubEnv env = GrubEnv.read(grubenv);
      BootAssessment.recordHealthy(env, BootEntries.ACTIVE);
      env.write();
    }, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));

    SystemUpgrade.Outcome outcome = new SystemUpgrade(CLOCK).run(new DiskBootedFrom(disk, BootEntries.ACTIVE),
        "dir:" + tmp.resolve("os"));

    assertThat(outcome).isEqualTo(SystemUpgrade.Outcome.ALREADY_RUNNING);
    assertThat(healthy).as("the verdict came before the answer").isDone();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
  }

  @Test
  void noVerdictIsAClearFailure() throws Exception {
    SimulatedDisk disk = installed();

    assertThatThrownBy(() -> new SystemUpgrade(CLOCK, Duration.ofMillis(300))
        .run(new DiskBootedFrom(disk, BootEntries.ACTIVE), "dir:" + tmp.resolve("os")))
        .isInstanceOf(ToolkitException.class)
        .hasMessageContaining("still on trial")
        .hasMessageContaining("journalctl -u elemental-boot-assessment");
  }

  private SimulatedDisk installed() throws IOException {
    Path os = tmp.resolve("os");
    Files.createDirectories(os.resolve("etc"));
    Files.createDirectories(os.resolve("boot"));
    Files.writeString(os.resolve("etc/os-release"), "NAME=test\nVERSION_ID=v1\n");
    Files.writeString(os.resolve("boot/vmlinuz"), "kernel");
    Files.writeString(os.resolve("boot/initrd"), "initrd");
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", tmp.resolve("disk"), 4L * 1024 * 1024 * 1024);
    new Installer(CLOCK).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os, 2, Map.of(),
        tmp.resolve("scratch")));
    return disk;
  }
}
