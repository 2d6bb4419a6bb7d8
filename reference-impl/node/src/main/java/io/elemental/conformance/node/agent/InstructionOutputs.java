package io.elemental.conformance.node.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code applied-output}/{@code failed-output} format: gzip of a JSON object mapping
 * instruction name to its output, base64 (Go's encoding/json writes a {@code []byte} so), keys
 * sorted as Go writes map keys. An empty value decodes to an empty map.
 */
public final class InstructionOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
  };

  private InstructionOutputs() {
  }

  public static byte[] encode(Map<String, byte[]> outputs) {
    Map<String, String> encoded = new TreeMap<>();
    outputs.forEach((name, bytes) -> encoded.put(name, Base64.getEncoder().encodeToString(bytes)));
    try {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(JSON.writeValueAsBytes(encoded));
      }
      return gz.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip failed", e);
    }
  }

  /** @throws IOException when the bytes are not gzip of such a JSON object */
  public static Map<String, byte[]> decode(byte[] gzipped) throws IOException {
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    if (gzipped == null || gzipped.length == 0) return outputs;
    byte[] json;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      json = in.readAllBytes();
    }
    Map<String, String> encoded = JSON.readValue(json, MAP);
    if (encoded == null) return outputs;
    try {
      encoded.forEach((name, b64) -> outputs.put(name, b64 == null ? new byte[0] : Base64.getDecoder().decode(b64)));
    } catch (IllegalArgumentException e) {
      throw new IOException("an output is not base64: " + e.getMessage(), e);
    }
    return outputs;
  }
}
