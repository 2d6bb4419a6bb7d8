package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnixDateTest {
  @Test
  void formatsAndParsesGoUnixDate() {
    Instant t = Instant.parse("2026-11-26T02:54:00Z");
    assertThat(UnixDate.format(t)).isEqualTo("Thu Nov 26 02:54:00 UTC 2026");
    assertThat(UnixDate.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("Fri Jan  2 03:04:05 UTC 2026");
    assertThat(UnixDate.parse("Thu Nov 26 02:54:00 UTC 2026")).contains(t);
    assertThat(UnixDate.parse("Fri Jan  2 03:04:05 UTC 2026")).contains(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(UnixDate.parse("garbage")).isEmpty();
  }
}
