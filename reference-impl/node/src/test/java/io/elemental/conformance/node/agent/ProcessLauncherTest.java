package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLauncherTest {
  @TempDir
  Path work;

  @Test
  void keepsTheOutputByteForByteAndEchoesEachLine() throws IOException {
    List<String> echoed = new CopyOnWriteArrayList<>();
    CommandLauncher.Exit exit = new ProcessLauncher(echoed::add).launch(
        List.of("/bin/sh", "-c", "echo pulled; echo unpacked >&2; printf 'no newline'"), Map.of(), work,
        Duration.ofSeconds(30));

    assertThat(exit.code()).isZero();
    assertThat(new String(exit.output(), StandardCharsets.UTF_8)).isEqualTo("pulled\nunpacked\nno newline");
    assertThat(echoed).containsExactly("pulled", "unpacked", "no newline");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledWithWhatItPrinted() throws IOException {
    CommandLauncher.Exit exit = new ProcessLauncher().launch(List.of("/bin/sh", "-c", "echo started; exec sleep 30"),
        Map.of(), work, Duration.ofMillis(500));

    assertThat(exit.code()).isEqualTo(-1);
    assertThat(exit.error()).contains("timed out");
    assertThat(new String(exit.output(), StandardCharsets.UTF_8)).isEqualTo("started\n");
  }

  @Test
  void aChildLeftBehindWithThePipeOpenDoesNotHoldTheAgent() throws IOException {
    long begin = System.nanoTime();
    CommandLauncher.Exit exit = new ProcessLauncher().launch(List.of("/bin/sh", "-c", "sleep 30 & echo done"),
        Map.of(), work, Duration.ofSeconds(30));

    assertThat(exit.code()).isZero();
    assertThat(new String(exit.output(), StandardCharsets.UTF_8)).isEqualTo("done\n");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
  }
}
