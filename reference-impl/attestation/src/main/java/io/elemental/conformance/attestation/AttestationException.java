package io.elemental.conformance.attestation;

/**
 * Why a TPM authentication step was refused. Every bad input ends here, never as an unchecked
 * exception: the server logs {@link #getMessage()} and closes the websocket, as the real one does.
 */
public class AttestationException extends Exception {
  /** The step that refused, so callers and tests can tell failures apart without parsing text. */
  public enum Kind {
    /** Authorization header, base64 or token JSON. */
    MALFORMED_TOKEN,
    /** The EK PEM, certificate or key cannot be used. */
    INVALID_EK,
    /** The EK certificate does not chain to the tpm-ca bundle (or there is no certificate). */
    UNTRUSTED_EK,
    /** The AK parameters fail go-attestation's checks. */
    INVALID_AK,
    /** The challenge message cannot be read (client side). */
    MALFORMED_CHALLENGE,
    /** The answer message cannot be read. */
    MALFORMED_ANSWER,
    /** The answer is well formed but holds the wrong secret. */
    WRONG_ANSWER
  }

  private final Kind kind;

  public AttestationException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public AttestationException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
