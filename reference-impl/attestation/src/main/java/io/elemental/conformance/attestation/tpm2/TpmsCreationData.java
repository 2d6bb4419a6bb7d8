package io.elemental.conformance.attestation.tpm2;

/**
 * A TPMS_CREATION_DATA, validated the way go-tpm's DecodeCreationData does. The check only needs
 * its hash, which is taken over the bytes as sent, so the fields are read to reject junk and kept
 * only for messages.
 */
public record TpmsCreationData(int pcrSelectionCount, int locality, int parentNameAlg,
                               TpmName parentName, TpmName parentQualifiedName) {

  public static TpmsCreationData parse(byte[] bytes) throws TpmFormatException {
    TpmBuffer in = new TpmBuffer(bytes);
    long count = in.u32("TPML_PCR_SELECTION count");
    // go-tpm wants exactly one selection (an empty list counts as one).
    if (count > 1) {
      throw new TpmFormatException("got " + count + " TPMS_PCR_SELECTION items in TPML_PCR_SELECTION, expected 1");
    }
    if (count == 1) {
      in.u16("TPMS_PCR_SELECTION hash");
      int size = in.u8("TPMS_PCR_SELECTION sizeofSelect");
      in.bytes(size, "TPMS_PCR_SELECTION pcrSelect");
    }
    in.sized("pcrDigest");
    int locality = in.u8("locality");
    int parentNameAlg = in.u16("parentNameAlg");
    TpmName parentName = TpmName.read(in, "parentName");
    TpmName parentQualifiedName = TpmName.read(in, "parentQualifiedName");
    in.sized("outsideInfo");
    return new TpmsCreationData((int) count, locality, parentNameAlg, parentName, parentQualifiedName);
  }
}
