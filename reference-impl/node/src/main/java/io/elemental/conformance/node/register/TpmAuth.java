package io.elemental.conformance.node.register;

import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.node.tpm.TpmAuthentication;
import io.elemental.conformance.node.tpm.TpmClient;

/** {@code auth: tpm}: a fresh AK per registration, and the answer to the endpoint's credential. */
public final class TpmAuth implements ClientAuth {
  private final TpmClient tpm;
  private final String method;
  private TpmAuthentication attempt;

  /** {@code emulated}: the TPM stands in for none (emulate-tpm), which the auth annotation says. */
  public TpmAuth(TpmClient tpm, boolean emulated) {
    this.tpm = tpm;
    this.method = emulated ? "emulated-tpm" : "tpm";
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String authorizationHeader() throws RegistrationException {
    try {
      attempt = tpm.authenticate();
      return attempt.authorizationHeader();
    } catch (RuntimeException e) {
      throw new RegistrationException("cannot use the TPM (" + tpm.tcti() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void answerChallenge(ClientChannel channel) throws ProtocolException, RegistrationException {
    try {
      channel.writeRaw(attempt.answer(channel.readRaw()));
    } catch (AttestationException | RuntimeException e) {
      throw new RegistrationException("TPM attestation failed: " + e.getMessage(), e);
    }
  }
}
