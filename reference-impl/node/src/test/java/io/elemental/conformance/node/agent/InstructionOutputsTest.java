package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class InstructionOutputsTest {
  @Test
  void isGzippedJsonOfBase64OutputsWithSortedKeys() throws IOException {
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    outputs.put("b", "two\n".getBytes(StandardCharsets.UTF_8));
    outputs.put("a", "one\n".getBytes(StandardCharsets.UTF_8));

    byte[] encoded = InstructionOutputs.encode(outputs);

    String json;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).isEqualTo("{\"a\":\"b25lCg==\",\"b\":\"dHdvCg==\"}");
    assertThat(InstructionOutputs.decode(encoded)).containsOnlyKeys("a", "b");
    assertThat(InstructionOutputs.decode(encoded).get("b")).asString(StandardCharsets.UTF_8).isEqualTo("two\n");
  }

  @Test
  void emptyDecodesToNoOutputsAndGarbageIsAnError() throws IOException {
    assertThat(InstructionOutputs.decode(new byte[0])).isEmpty();
    assertThat(InstructionOutputs.decode(null)).isEmpty();
    assertThatThrownBy(() -> InstructionOutputs.decode("not gzip".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }
}
