package io.elemental.conformance.node.tpm;

/**
 * One entry of a command's authorization area (TPMS_AUTH_COMMAND). This client needs no HMAC
 * sessions: the hierarchies and keys have empty passwords, and the EK's policy session carries
 * no HMAC because its policy has no PolicyAuthValue.
 */
record AuthSession(int handle, byte[] nonce, int attributes, byte[] hmac) {
  /** TPM_RS_PW: the password session. */
  static final int PASSWORD_HANDLE = 0x40000009;

  /** TPM_RS_PW with an empty password. */
  static AuthSession emptyPassword() {
    return new AuthSession(PASSWORD_HANDLE, new byte[0], 0, new byte[0]);
  }

  /** A policy session used once: continueSession clear, so the TPM flushes it after a success. */
  static AuthSession policy(int sessionHandle) {
    return new AuthSession(sessionHandle, new byte[0], 0, new byte[0]);
  }
}
