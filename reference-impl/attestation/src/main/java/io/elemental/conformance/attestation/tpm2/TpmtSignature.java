package io.elemental.conformance.attestation.tpm2;

/** A TPMT_SIGNATURE; RSA forms carry a hash and the signature, ECDSA is recognised but not kept. */
public record TpmtSignature(int sigAlg, int hashAlg, byte[] signature) {

  public static TpmtSignature parse(byte[] bytes) throws TpmFormatException {
    TpmBuffer in = new TpmBuffer(bytes);
    int alg = in.u16("TPMT_SIGNATURE sigAlg");
    switch (alg) {
      case TpmAlg.RSASSA, TpmAlg.RSAPSS -> {
        int hash = in.u16("TPMT_SIGNATURE hash");
        return new TpmtSignature(alg, hash, in.sized("TPMT_SIGNATURE signature"));
      }
      case TpmAlg.ECDSA -> {
        int hash = in.u16("TPMT_SIGNATURE hash");
        in.sized("ECDSA r");
        in.sized("ECDSA s");
        return new TpmtSignature(alg, hash, null);
      }
      default -> throw new TpmFormatException("unsupported signature algorithm " + TpmAlg.hex(alg));
    }
  }

  public boolean isRsa() {
    return signature != null;
  }
}
