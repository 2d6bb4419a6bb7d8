package io.elemental.conformance.attestation;

/**
 * How strictly an EK certificate is checked against the tpm-ca bundle. Both treat every
 * certificate in the bundle as a trust anchor and take no intermediates, as the operator does.
 */
public enum EkCertPolicy {
  /**
   * Signature, issuer and validity only: what an EK certificate (TCG EK credential profile) can
   * meet. swtpm-localca's certificates pass.
   */
  TCG_EK_PROFILE,
  /**
   * Additionally Go crypto/x509 Verify's rules with empty KeyUsages, exactly what the real
   * elemental-operator runs: a critical SubjectAltName holding only a directoryName is an
   * "unhandled critical extension", an EKU without serverAuth is an "incompatible key usage",
   * SHA-1 signatures are refused. TCG EK certificates (swtpm's included) fail it.
   */
  GO_CRYPTO_X509
}
