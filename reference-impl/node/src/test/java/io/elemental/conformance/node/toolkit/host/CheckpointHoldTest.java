package io.elemental.conformance.node.toolkit.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.node.toolkit.ToolkitException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointHoldTest {
  @TempDir
  Path oem;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private CheckpointHold holdAt(String point) {
    return CheckpointHold.fromEnvironment(Map.of(CheckpointHold.ENV, point), marker(),
        new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
  }

  private Path marker() {
    return oem.resolve(".elemental-reference-hold");
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void holdsAtItsCheckpointOnceRecordingItBeforeSayingSo() {
    CheckpointHold hold = holdAt("active switched");

    hold.reached("image written");
    assertThat(output()).isEmpty();

    hold.reached("active switched");
    assertThat(output()).contains("upgrade held at \"active switched\"").contains("nobody cut the power");
    assertThat(marker()).hasContent("active switched");

    printed.reset();
    holdAt("active switched").reached("active switched");
    assertThat(output()).as("the upgrade applied again after the power-on goes through").isEmpty();
  }

  @Test
  void noHoldWithoutTheVariable() {
    CheckpointHold.fromEnvironment(Map.of(), marker(), new PrintStream(printed, true, StandardCharsets.UTF_8),
        Duration.ofMinutes(10)).reached("active switched");

    assertThat(output()).isEmpty();
    assertThat(marker()).doesNotExist();
  }

  @Test
  void aPointThatIsNoCheckpointIsRefusedNamingTheCheckpoints() {
    assertThatThrownBy(() -> CheckpointHold.fromEnvironment(Map.of(CheckpointHold.ENV, "halfway")))
        .isInstanceOf(ToolkitException.class)
        .hasMessageContaining("'halfway' is not an upgrade checkpoint")
        .hasMessageContaining("active switched");
  }
}
