package io.elemental.conformance.operator.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.operator.inventory.PlanSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/** Plan Secrets as the inventory controller makes them and the node's agent fills them in. */
final class PlanSecretsFixture {
  private PlanSecretsFixture() {}

  static Secret secret(String name, String plan) {
    return secret(name, plan, "empty");
  }

  static Secret secret(String name, String plan, String planType) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("plan", b64(plan.getBytes(StandardCharsets.UTF_8)));
    return new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace("fleet-default").withResourceVersion("7")
            .withLabels(Map.of("elemental.cattle.io/managed", "true"))
            .withAnnotations(Map.of(PlanSecrets.PLAN_TYPE_ANNOTATION, planType))
        .endMetadata()
        .withType(PlanSecrets.TYPE)
        .withData(data)
        .build();
  }

  /** What the agent writes on success: the hex SHA-256 of the plan bytes it applied. */
  static Secret applied(Secret secret) {
    return with(secret, Map.of("applied-checksum", b64(checksumOf(secret).getBytes(StandardCharsets.UTF_8)),
        "failure-count", b64("0".getBytes(StandardCharsets.UTF_8)), "failed-checksum", "", "failed-output", ""));
  }

  /** What the agent writes on failure, the output encoded as the node's InstructionOutputs does. */
  static Secret failed(Secret secret, Map<String, String> outputs) {
    return with(secret, Map.of("failed-checksum", b64(checksumOf(secret).getBytes(StandardCharsets.UTF_8)),
        "failure-count", b64("1".getBytes(StandardCharsets.UTF_8)), "failed-output", b64(outputs(outputs))));
  }

  static String checksumOf(Secret secret) {
    return PlanSecrets.checksum(PlanSecretData.bytes(secret, "plan"));
  }

  static String plan(Secret secret) {
    return new String(PlanSecretData.bytes(secret, "plan"), StandardCharsets.UTF_8);
  }

  /** gzip of {name: base64(output)}, keys sorted (Go's map encoding), as the node's agent writes it. */
  static byte[] outputs(Map<String, String> outputs) {
    Map<String, String> encoded = new TreeMap<>();
    outputs.forEach((k, v) -> encoded.put(k, b64(v.getBytes(StandardCharsets.UTF_8))));
    try {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(new ObjectMapper().writeValueAsBytes(encoded));
      }
      return gz.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Secret with(Secret secret, Map<String, String> keys) {
    Map<String, String> data = new LinkedHashMap<>(secret.getData());
    data.putAll(keys);
    return new SecretBuilder(secret).withData(data).build();
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
