package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
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
    SimulatedDisk disk = InstalledDisks.minimal(tmp, Map.of());
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
        InstalledDisks.source(tmp));

    assertThat(outcome).isEqualTo(SystemUpgrade.Outcome.ALREADY_RUNNING);
    assertThat(healthy).as("the verdict came before the answer").isDone();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
  }

  @Test
  void noVerdictIsAClearFailure() throws Exception {
    SimulatedDisk disk = InstalledDisks.minimal(tmp, Map.of());

    assertThatThrownBy(() -> new SystemUpgrade(CLOCK, Duration.ofMillis(300))
        .run(new DiskBootedFrom(disk, BootEntries.ACTIVE), InstalledDisks.source(tmp)))
        .isInstanceOf(ToolkitException.class)
        .hasMessageContaining("still on trial")
        .hasMessageContaining("journalctl -u elemental-boot-assessment");
  }
}
