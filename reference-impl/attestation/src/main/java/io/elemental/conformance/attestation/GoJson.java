package io.elemental.conformance.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.attestation.AttestationException.Kind;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON the way Go's encoding/json reads and writes the untagged structs of the protocol: keys
 * match field names case-insensitively (the last match wins), []byte is standard base64 with
 * padding ('\r' and '\n' ignored), null leaves a field empty, and trailing data is an error.
 */
final class GoJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private GoJson() {}

  static ObjectNode readObject(byte[] json, Kind kind, String what) throws AttestationException {
    if (json == null) {
      throw new AttestationException(kind, what + " is missing");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AttestationException(kind, what + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new AttestationException(kind, what + " cannot be read: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new AttestationException(kind, what + " is empty");
    }
    return object(node, kind, what);
  }

  static ObjectNode object(JsonNode node, Kind kind, String what) throws AttestationException {
    if (!(node instanceof ObjectNode object)) {
      throw new AttestationException(kind, what + " must be a JSON object, got " + node.getNodeType());
    }
    return object;
  }

  /** The value of Go field {@code goName}, or null when absent. */
  static JsonNode field(ObjectNode object, String goName) {
    JsonNode found = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equalsIgnoreCase(goName)) {
        found = entry.getValue();
      }
    }
    return found;
  }

  /** A []byte field: null when absent or JSON null. */
  static byte[] bytes(ObjectNode object, String goName, Kind kind, String what) throws AttestationException {
    JsonNode value = field(object, goName);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new AttestationException(kind, what + "." + goName + " must be a base64 string, got " + value.getNodeType());
    }
    String text = value.textValue().replace("\r", "").replace("\n", "");
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new AttestationException(kind, what + "." + goName + " is not standard base64: " + e.getMessage(), e);
    }
  }

  static boolean bool(ObjectNode object, String goName, Kind kind, String what) throws AttestationException {
    JsonNode value = field(object, goName);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new AttestationException(kind, what + "." + goName + " must be true or false, got " + value.getNodeType());
    }
    return value.booleanValue();
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** Go's json.Marshal of []byte: standard base64, or null for a nil slice. */
  static void putBytes(ObjectNode object, String goName, byte[] value) {
    if (value == null) {
      object.putNull(goName);
    } else {
      object.put(goName, Base64.getEncoder().encodeToString(value));
    }
  }

  static byte[] write(ObjectNode object) {
    try {
      return MAPPER.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
