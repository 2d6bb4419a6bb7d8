package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.EncryptedCredential;

/**
 * TPM2_ActivateCredential as go-attestation runs it (notes 4.3): the AK under the SRK, the EK at
 * 0x81010001 authorised by a policy session with PolicySecret(endorsement hierarchy).
 */
final class CredentialActivator {
  private final TpmCommands tpm;

  CredentialActivator(TpmCommands tpm) {
    this.tpm = tpm;
  }

  byte[] activate(AttestationKey ak, EncryptedCredential credential) {
    int akHandle = tpm.load(TpmHandles.SRK, body(ak.privateFile()), body(ak.publicFile()));
    try {
      int session = tpm.startPolicySession();
      try {
        tpm.policySecret(TpmHandles.RH_ENDORSEMENT, session);
        return tpm.activateCredential(akHandle, TpmHandles.EK, session, credential.credential(),
            credential.secret());
      } finally {
        tpm.flushQuietly(session); // on success the TPM has flushed it already
      }
    } finally {
      tpm.flushQuietly(akHandle);
    }
  }

  /** The AK blobs are kept as TPM2Bs; TPM2_Load wants what is inside. */
  private static byte[] body(byte[] tpm2b) {
    return java.util.Arrays.copyOfRange(tpm2b, Math.min(2, tpm2b.length), tpm2b.length);
  }
}
