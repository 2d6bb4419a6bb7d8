package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.AttestationRequest;
import io.elemental.conformance.attestation.EkTrustBundle;
import io.elemental.conformance.attestation.PendingChallenge;
import io.elemental.conformance.attestation.TpmAttestor;
import io.elemental.conformance.operator.inventory.MachineIdentity;
import java.util.Optional;

/**
 * {@code Bearer TPM<token>}: the EK names the machine (tpmHash), the AK proves the key lives in
 * that TPM: the endpoint sends a credential only that TPM can open (no type byte, before the
 * typed messages) and expects the secret back.
 */
final class TpmAuthenticator implements Authenticator {
  static final String PREFIX = "Bearer TPM";
  private static final TpmAttestor ATTESTOR = new TpmAttestor();

  private final AttestationRequest request;

  private TpmAuthenticator(AttestationRequest request) {
    this.request = request;
  }

  /** Reads the token and checks the EK against the namespace's {@code tpm-ca}, before the upgrade. */
  static TpmAuthenticator fromHeader(String header, Optional<EkTrustBundle> trust) throws Unauthorized {
    try {
      return new TpmAuthenticator(ATTESTOR.identify(header, trust));
    } catch (AttestationException e) {
      throw new Unauthorized("TPM authentication failed (" + e.kind() + "): " + e.getMessage());
    }
  }

  @Override
  public MachineIdentity authenticate(MessageChannel channel) throws ProtocolException {
    try {
      PendingChallenge challenge = ATTESTOR.challenge(request);
      channel.writeRaw(challenge.challengeJson());
      challenge.verifyAnswer(channel.readRaw());
      return MachineIdentity.tpm(challenge.tpmHash(), "tpm");
    } catch (AttestationException e) {
      throw new ProtocolException("TPM attestation failed (" + e.kind() + "): " + e.getMessage(), e);
    }
  }
}
