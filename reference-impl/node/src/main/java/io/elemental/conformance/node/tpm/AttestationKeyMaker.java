package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AkVerifier;
import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.AttestationParameters;

/**
 * go-attestation's newAK (notes 4.2): under the persistent SRK, a restricted RSASSA-SHA256
 * signing key with creation data, certified by itself with TPM2_CertifyCreation.
 */
final class AttestationKeyMaker {
  private final TpmCommands tpm;

  AttestationKeyMaker(TpmCommands tpm) {
    this.tpm = tpm;
  }

  AttestationKey create() {
    ensureSrk();
    TpmCommands.CreatedKey key = tpm.create(TpmHandles.SRK, TpmTemplates.attestationKey());
    int handle = tpm.load(TpmHandles.SRK, key.privateBlob(), key.publicArea());
    TpmCommands.Certification certification;
    try {
      certification = tpm.certifyCreation(handle, handle, key.creationHash(), key.creationTicket());
    } finally {
      tpm.flushQuietly(handle);
    }
    AttestationParameters parameters = new AttestationParameters(key.publicArea(), false, key.creationData(),
        certification.attestation(), certification.signature());
    selfCheck(parameters);
    return new AttestationKey(CommandBuffer.tpm2b(key.publicArea()), CommandBuffer.tpm2b(key.privateBlob()),
        parameters);
  }

  /** The SRK is made once per TPM and kept at its persistent handle, as go-attestation does. */
  private void ensureSrk() {
    try {
      tpm.readPublic(TpmHandles.SRK);
      return;
    } catch (TpmCommandException e) {
      if (!e.isMissingHandle()) throw e;
    }
    int handle = tpm.createPrimary(TpmHandles.RH_OWNER, TpmTemplates.storageRootKey());
    try {
      tpm.evictControl(handle, TpmHandles.SRK);
    } finally {
      tpm.flushQuietly(handle);
    }
  }

  /** Catches a marshalling mistake here rather than as a refused registration. */
  private static void selfCheck(AttestationParameters parameters) {
    try {
      AkVerifier.verify(parameters);
    } catch (AttestationException e) {
      throw new TpmCommandException("the AK made by this TPM fails the server's checks: " + e.getMessage(), e);
    }
  }
}
