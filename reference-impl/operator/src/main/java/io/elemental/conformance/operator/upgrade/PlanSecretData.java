package io.elemental.conformance.operator.upgrade;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The plan Secret's data keys (rancher/system-agent's names) and their decoding: the operator
 * writes {@code plan} and {@code max-failures}, the machine's agent the rest.
 */
public final class PlanSecretData {
  public static final String PLAN = "plan";
  public static final String MAX_FAILURES = "max-failures";
  public static final String APPLIED_CHECKSUM = "applied-checksum";
  public static final String FAILED_CHECKSUM = "failed-checksum";
  public static final String FAILED_OUTPUT = "failed-output";
  public static final String FAILURE_COUNT = "failure-count";

  private PlanSecretData() {}

  /** A key's bytes; empty when absent (the agent also "clears" keys by writing them empty). */
  public static byte[] bytes(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    String value = data == null ? null : data.get(key);
    return value == null ? new byte[0] : Base64.getDecoder().decode(value);
  }

  public static String text(Secret secret, String key) {
    return new String(bytes(secret, key), StandardCharsets.UTF_8).trim();
  }

  public static String encode(byte[] value) {
    return Base64.getEncoder().encodeToString(value);
  }

  public static String encode(String value) {
    return encode(value.getBytes(StandardCharsets.UTF_8));
  }
}
