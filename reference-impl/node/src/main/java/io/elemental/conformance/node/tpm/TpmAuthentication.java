package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.AuthToken;
import io.elemental.conformance.attestation.ChallengeAnswer;
import io.elemental.conformance.attestation.ChallengeMessage;
import io.elemental.conformance.attestation.EndorsementKey;

/**
 * One TPM authentication attempt: the token for the websocket's Authorization header, then the
 * answer to the server's challenge (notes 2.3).
 */
public final class TpmAuthentication {
  private final TpmClient client;
  private final EndorsementKey ek;
  private final AttestationKey ak;
  private final AuthToken token;

  TpmAuthentication(TpmClient client, EndorsementKey ek, AttestationKey ak, AuthToken token) {
    this.client = client;
    this.ek = ek;
    this.ak = ak;
    this.token = token;
  }

  public AuthToken token() {
    return token;
  }

  /** {@code Bearer TPM<base64(json)>}. */
  public String authorizationHeader() {
    return token.toHeader();
  }

  /** The machine's identity as the server computes it (the value elemental-register logs as "Hash"). */
  public String tpmHash() {
    return ek.tpmHash();
  }

  public AttestationKey attestationKey() {
    return ak;
  }

  /**
   * Challenge JSON in, answer JSON out ({@code {"Secret":…}} plus newline). A challenge the TPM
   * cannot open (another EK, another AK) ends in a {@link TpmCommandException}.
   */
  public byte[] answer(byte[] challengeJson) throws AttestationException {
    ChallengeMessage challenge = ChallengeMessage.fromJson(challengeJson);
    return new ChallengeAnswer(client.activate(ak, challenge.ec())).toJson();
  }
}
