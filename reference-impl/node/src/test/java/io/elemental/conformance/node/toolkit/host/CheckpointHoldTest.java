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
    return new CheckpointHold(point, oem.resolve(".elemental-reference-hold"),
        new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
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
    assertThat(oem.resolve(".elemental-reference-hold")).hasContent("active switched");

    printed.reset();
    holdAt("active switched").reached("active switched");
    assertThat(output()).as("the upgrade applied again after the power-on goes through").isEmpty();
  }

  @Test
  void noHoldWithoutTheVariable() {
    CheckpointHold.fromEnvironment(Map.of()).reached("active switched");
  }

  @Test
  void aPointThatIsNoCheckpointIsRefusedNamingTheCheckpoints() {
    assertThatThrownBy(() -> CheckpointHold.fromEnvironment(Map.of(CheckpointHold.ENV, "halfway")))
        .isInstanceOf(ToolkitException.class)
        .hasMessageContaining("'halfway' is not an upgrade checkpoint")
        .hasMessageContaining("active switched");
  }
}
