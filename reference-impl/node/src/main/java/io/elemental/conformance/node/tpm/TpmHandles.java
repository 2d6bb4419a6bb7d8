package io.elemental.conformance.node.tpm;

/** The handles this client uses; the persistent ones are go-attestation's, so both clients share TPM state. */
final class TpmHandles {
  /** RSA EK certificate (TCG EK credential profile). */
  static final int EK_CERT_NV = 0x01C00002;
  /** Persistent RSA EK; go-attestation activates with whatever key is here. */
  static final int EK = 0x81010001;
  /** Persistent SRK, the AK's parent (go-attestation defaultParentConfig). */
  static final int SRK = 0x81000001;

  static final int RH_OWNER = 0x40000001;
  static final int RH_NULL = 0x40000007;
  static final int RH_ENDORSEMENT = 0x4000000B;

  /** First handles of the ranges GetCapability(TPM_CAP_HANDLES) lists. */
  static final int NV_INDEX_FIRST = 0x01000000;
  static final int LOADED_SESSION_FIRST = 0x02000000;
  static final int SAVED_SESSION_FIRST = 0x03000000;
  static final int TRANSIENT_FIRST = 0x80000000;

  private TpmHandles() {}

  static String hex(int handle) {
    return String.format("0x%08x", handle);
  }
}
