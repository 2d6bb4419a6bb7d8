package io.elemental.conformance.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.attestation.AttestationException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The TPM auth token: {"EK": base64(PEM text), "AK": {...}}, carried in the websocket request as
 * {@code Authorization: Bearer TPM<base64(json)>} (no space after TPM). {@code ak} is null only
 * when a received token had none.
 */
public record AuthToken(byte[] ekPem, AttestationParameters ak) {
  public static final String HEADER_PREFIX = "Bearer TPM";

  public static AuthToken fromHeader(String authorization) throws AttestationException {
    if (authorization == null || !authorization.startsWith(HEADER_PREFIX)) {
      throw new AttestationException(Kind.MALFORMED_TOKEN, "Authorization header is not a TPM bearer token (expected '"
          + HEADER_PREFIX + "<base64>')");
    }
    String encoded = authorization.substring(HEADER_PREFIX.length()).replace("\r", "").replace("\n", "");
    byte[] json;
    try {
      json = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new AttestationException(Kind.MALFORMED_TOKEN, "TPM token is not standard base64: " + e.getMessage(), e);
    }
    return fromJson(json);
  }

  public static AuthToken fromJson(byte[] json) throws AttestationException {
    ObjectNode object = GoJson.readObject(json, Kind.MALFORMED_TOKEN, "TPM token");
    byte[] ek = GoJson.bytes(object, "EK", Kind.MALFORMED_TOKEN, "token");
    JsonNode ak = GoJson.field(object, "AK");
    return new AuthToken(ek, ak == null || ak.isNull() ? null : AttestationParameters.fromJson(ak));
  }

  public byte[] toJson() {
    ObjectNode object = GoJson.newObject();
    GoJson.putBytes(object, "EK", ekPem);
    if (ak == null) {
      object.putNull("AK");
    } else {
      object.set("AK", ak.toJson());
    }
    return GoJson.write(object);
  }

  public String toHeader() {
    return HEADER_PREFIX + Base64.getEncoder().encodeToString(toJson());
  }

  public String ekPemText() {
    return ekPem == null ? "" : new String(ekPem, StandardCharsets.US_ASCII);
  }

  public AuthToken withAk(AttestationParameters other) {
    return new AuthToken(ekPem, other);
  }
}
