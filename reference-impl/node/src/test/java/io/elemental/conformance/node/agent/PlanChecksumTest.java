package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanChecksumTest {
  @Test
  void isHexSha256OfTheStoredBytes() {
    // sha256("{}"), e.g. `printf '{}' | sha256sum`
    assertThat(PlanChecksum.of("{}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertThat(PlanChecksum.of(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void anyByteChangeIsANewChecksumEvenIfTheJsonMeansTheSame() {
    assertThat(PlanChecksum.of("{ }".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(PlanChecksum.of("{}".getBytes(StandardCharsets.UTF_8)));
  }
}
