package io.elemental.conformance.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.attestation.AttestationException.Kind;

/**
 * The server's challenge, {"EC":{"Credential":…,"Secret":…}}, sent as one binary websocket
 * message without a trailing newline (Go json.Marshal).
 */
public record ChallengeMessage(EncryptedCredential ec) {

  public byte[] toJson() {
    ObjectNode inner = GoJson.newObject();
    GoJson.putBytes(inner, "Credential", ec.credential());
    GoJson.putBytes(inner, "Secret", ec.secret());
    ObjectNode outer = GoJson.newObject();
    outer.set("EC", inner);
    return GoJson.write(outer);
  }

  public static ChallengeMessage fromJson(byte[] json) throws AttestationException {
    ObjectNode outer = GoJson.readObject(json, Kind.MALFORMED_CHALLENGE, "challenge");
    JsonNode ec = GoJson.field(outer, "EC");
    if (ec == null || ec.isNull()) {
      throw new AttestationException(Kind.MALFORMED_CHALLENGE, "challenge has no EC");
    }
    ObjectNode inner = GoJson.object(ec, Kind.MALFORMED_CHALLENGE, "challenge EC");
    byte[] credential = GoJson.bytes(inner, "Credential", Kind.MALFORMED_CHALLENGE, "EC");
    byte[] secret = GoJson.bytes(inner, "Secret", Kind.MALFORMED_CHALLENGE, "EC");
    // go-attestation strips a 2-byte size from each before handing them to the TPM.
    if (credential == null || credential.length < 2 || secret == null || secret.length < 2) {
      throw new AttestationException(Kind.MALFORMED_CHALLENGE,
          "challenge EC.Credential and EC.Secret must each hold a TPM2B (size prefix included)");
    }
    return new ChallengeMessage(new EncryptedCredential(credential, secret));
  }
}
