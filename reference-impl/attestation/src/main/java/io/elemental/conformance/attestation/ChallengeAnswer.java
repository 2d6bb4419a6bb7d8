package io.elemental.conformance.attestation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.attestation.AttestationException.Kind;
import java.util.Arrays;

/** The client's answer, {"Secret":…}; the Go client sends it with a trailing newline (json.Encoder). */
public record ChallengeAnswer(byte[] secret) {

  public byte[] toJson() {
    ObjectNode object = GoJson.newObject();
    GoJson.putBytes(object, "Secret", secret);
    byte[] json = GoJson.write(object);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  /** A null secret means the answer left it out; it can never match. */
  public static ChallengeAnswer fromJson(byte[] json) throws AttestationException {
    ObjectNode object = GoJson.readObject(json, Kind.MALFORMED_ANSWER, "challenge answer");
    return new ChallengeAnswer(GoJson.bytes(object, "Secret", Kind.MALFORMED_ANSWER, "answer"));
  }
}
