package io.elemental.conformance.node.tpm;

/** The fixed handles go-attestation uses, so our client and the Go one share TPM state. */
final class TpmHandles {
  /** RSA EK certificate (TCG EK credential profile). */
  static final String EK_CERT_NV = "0x01c00002";
  /** Persistent RSA EK; go-attestation activates with whatever key is here. */
  static final String EK = "0x81010001";
  /** Persistent SRK, the AK's parent (go-attestation defaultParentConfig). */
  static final String SRK = "0x81000001";

  private TpmHandles() {}
}
