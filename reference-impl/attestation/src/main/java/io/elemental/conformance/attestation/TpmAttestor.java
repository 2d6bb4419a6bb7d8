package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TPM authentication, in elemental-operator's order: read the token, compute
 * the tpmHash, check the EK against tpm-ca (only when a bundle is given), check the AK, then make
 * the credential challenge.
 */
public final class TpmAttestor {
  private static final Logger LOG = LoggerFactory.getLogger(TpmAttestor.class);
  /** go-attestation's activationSecretLen. */
  public static final int SECRET_BYTES = 32;

  private final SecureRandom random;

  public TpmAttestor() {
    this(new SecureRandom());
  }

  public TpmAttestor(SecureRandom random) {
    this.random = random;
  }

  /** Token → EK identity; {@code trust} empty means no tpm-ca Secret, so no chain check. */
  public AttestationRequest identify(String authorizationHeader, Optional<EkTrustBundle> trust)
      throws AttestationException {
    AuthToken token = AuthToken.fromHeader(authorizationHeader);
    EndorsementKey ek = EndorsementKey.fromPem(token.ekPem());
    String tpmHash = ek.tpmHash();
    if (trust.isPresent()) {
      trust.get().verify(ek);
    }
    LOG.debug("TPM token for tpmHash {} (EK {})", tpmHash, ek.certificate().isPresent() ? "certificate" : "public key");
    return new AttestationRequest(token, ek, tpmHash);
  }

  /** AK checks, then MakeCredential to the EK for the AK's name. */
  public PendingChallenge challenge(AttestationRequest request) throws AttestationException {
    VerifiedAk ak = AkVerifier.verify(request.token().ak());
    if (!(request.ek().publicKey() instanceof RSAPublicKey ekKey)) {
      throw new AttestationException(Kind.INVALID_EK, "EK key type " + request.ek().publicKey().getAlgorithm()
          + " is not supported: only RSA EKs (go-attestation clients send nothing else)");
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    EncryptedCredential credential = CredentialMaker.make(ak.objectName(), ekKey, secret, random);
    return new PendingChallenge(request.tpmHash(), request.ek(), new ChallengeMessage(credential).toJson(), secret);
  }

  public PendingChallenge begin(String authorizationHeader, Optional<EkTrustBundle> trust) throws AttestationException {
    return challenge(identify(authorizationHeader, trust));
  }
}
