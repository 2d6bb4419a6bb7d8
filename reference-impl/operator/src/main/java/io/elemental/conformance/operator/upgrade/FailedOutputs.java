package io.elemental.conformance.operator.upgrade;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads the agent's {@code failed-output}: gzip of a JSON object mapping instruction name to the
 * base64 of its output (Go's encoding of {@code map[string][]byte}). Our own decoder: the
 * operator does not depend on the node module.
 */
public final class FailedOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() {};
  /** Bounds a status message: a gzip bomb in a Secret must not take the operator down. */
  private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

  private FailedOutputs() {}

  /**
   * The last non-empty line the instruction printed; empty when there is no output for it, or
   * the value is not in the agent's format (the caller then says only that it failed).
   */
  public static Optional<String> lastLine(byte[] gzipped, String instruction) {
    if (gzipped == null || gzipped.length == 0) return Optional.empty();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      Map<String, String> outputs = JSON.readValue(in.readNBytes(MAX_JSON_BYTES), OUTPUTS);
      String encoded = outputs == null ? null : outputs.get(instruction);
      if (encoded == null) return Optional.empty();
      List<String> lines = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
      return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
