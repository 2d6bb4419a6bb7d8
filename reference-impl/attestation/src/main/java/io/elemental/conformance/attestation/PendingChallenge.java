package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.security.MessageDigest;

/**
 * A challenge on its way to the client, and the secret only the TPM holding both the EK and the
 * AK can recover from it.
 */
public final class PendingChallenge {
  private final String tpmHash;
  private final EndorsementKey ek;
  private final byte[] challengeJson;
  private final byte[] expectedSecret;

  PendingChallenge(String tpmHash, EndorsementKey ek, byte[] challengeJson, byte[] expectedSecret) {
    this.tpmHash = tpmHash;
    this.ek = ek;
    this.challengeJson = challengeJson;
    this.expectedSecret = expectedSecret;
  }

  public String tpmHash() {
    return tpmHash;
  }

  public EndorsementKey ek() {
    return ek;
  }

  /** Send as one binary websocket message, without a type byte. */
  public byte[] challengeJson() {
    return challengeJson.clone();
  }

  public byte[] expectedSecret() {
    return expectedSecret.clone();
  }

  /** Accepts the answer message or says why not; the comparison is constant-time. */
  public void verifyAnswer(byte[] answerJson) throws AttestationException {
    byte[] secret = ChallengeAnswer.fromJson(answerJson).secret();
    if (secret == null || !MessageDigest.isEqual(expectedSecret, secret)) {
      throw new AttestationException(Kind.WRONG_ANSWER, "invalid challenge response");
    }
  }
}
