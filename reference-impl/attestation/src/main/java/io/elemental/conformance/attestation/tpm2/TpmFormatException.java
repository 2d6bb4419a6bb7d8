package io.elemental.conformance.attestation.tpm2;

import io.elemental.conformance.attestation.AttestationException;

/** A TPM structure is truncated or holds a value this reader does not accept. */
public class TpmFormatException extends AttestationException {
  public TpmFormatException(String message) {
    super(Kind.INVALID_AK, message);
  }
}
