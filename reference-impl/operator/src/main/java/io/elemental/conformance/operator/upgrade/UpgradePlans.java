package io.elemental.conformance.operator.upgrade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Adds the upgrade to a machine's plan JSON: everything already there (files, instructions,
 * periodic instructions, probes, fields this code does not know) is kept in its order, a previous
 * {@value UpgradeInstruction#NAME} instruction is dropped and the new one appended last.
 *
 * <p>Output is compact JSON of the parsed tree, so composing is a fixed point: composing a plan
 * that already holds the same instruction gives back the same bytes, and the reconciler can skip
 * the write (a rewrite would change nothing, but a needless one races with the agent).
 */
public final class UpgradePlans {
  private static final ObjectMapper JSON = new ObjectMapper()
      // Numbers come back exactly as they were written (no double rounding).
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private UpgradePlans() {}

  /**
   * @param existing the plan as the Secret holds it (empty means {@code {}})
   * @throws IllegalArgumentException when it is not a JSON object, or its {@code instructions} is not an array
   */
  public static byte[] compose(byte[] existing, UpgradeInstruction upgrade) {
    ObjectNode plan = parse(existing);
    ArrayNode kept = JSON.createArrayNode();
    JsonNode instructions = plan.path("instructions");
    if (!instructions.isMissingNode() && !instructions.isNull() && !instructions.isArray()) {
      throw new IllegalArgumentException("its plan's \"instructions\" is not an array");
    }
    for (JsonNode instruction : instructions) {
      if (!UpgradeInstruction.NAME.equals(instruction.path("name").asText(null))) kept.add(instruction);
    }
    kept.add(upgrade.toJson());
    plan.set("instructions", kept);
    try {
      return JSON.writeValueAsBytes(plan);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a parsed plan failed", e);
    }
  }

  private static ObjectNode parse(byte[] existing) {
    if (existing == null || existing.length == 0) return JSON.createObjectNode();
    JsonNode node;
    try {
      node = JSON.readTree(existing);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("its plan is not JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("its plan cannot be read (" + e.getMessage() + ")", e);
    }
    if (node == null || node.isMissingNode()) return JSON.createObjectNode();
    if (!node.isObject()) throw new IllegalArgumentException("its plan is not a JSON object");
    return (ObjectNode) node;
  }
}
