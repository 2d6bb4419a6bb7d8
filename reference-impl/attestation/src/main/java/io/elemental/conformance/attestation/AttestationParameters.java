package io.elemental.conformance.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.attestation.AttestationException.Kind;

/**
 * go-attestation's AttestationParameters: the AK as raw TPM structures without TPM2B size
 * prefixes (TPMT_PUBLIC, TPMS_CREATION_DATA, TPMS_ATTEST, TPMT_SIGNATURE). Fields may be null
 * when a token left them out; the AK check reports that.
 */
public record AttestationParameters(byte[] publicArea, boolean useTcsdActivationFormat, byte[] createData,
                                    byte[] createAttestation, byte[] createSignature) {

  static AttestationParameters fromJson(JsonNode node) throws AttestationException {
    ObjectNode object = GoJson.object(node, Kind.MALFORMED_TOKEN, "token AK");
    return new AttestationParameters(
        GoJson.bytes(object, "Public", Kind.MALFORMED_TOKEN, "AK"),
        GoJson.bool(object, "UseTCSDActivationFormat", Kind.MALFORMED_TOKEN, "AK"),
        GoJson.bytes(object, "CreateData", Kind.MALFORMED_TOKEN, "AK"),
        GoJson.bytes(object, "CreateAttestation", Kind.MALFORMED_TOKEN, "AK"),
        GoJson.bytes(object, "CreateSignature", Kind.MALFORMED_TOKEN, "AK"));
  }

  /** In Go's struct field order. */
  ObjectNode toJson() {
    ObjectNode object = GoJson.newObject();
    GoJson.putBytes(object, "Public", publicArea);
    object.put("UseTCSDActivationFormat", useTcsdActivationFormat);
    GoJson.putBytes(object, "CreateData", createData);
    GoJson.putBytes(object, "CreateAttestation", createAttestation);
    GoJson.putBytes(object, "CreateSignature", createSignature);
    return object;
  }

  public AttestationParameters withCreateSignature(byte[] signature) {
    return new AttestationParameters(publicArea, useTcsdActivationFormat, createData, createAttestation, signature);
  }
}
