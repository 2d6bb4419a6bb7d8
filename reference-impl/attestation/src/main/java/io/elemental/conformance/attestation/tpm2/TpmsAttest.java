package io.elemental.conformance.attestation.tpm2;

/**
 * A TPMS_ATTEST as go-tpm's DecodeAttestationData reads it: the magic is checked while decoding,
 * and certify/quote/creation are the only types accepted. Only the creation body is kept (the AK
 * check refuses the others); {@code objectName} and {@code creationHash} are null for them.
 */
public record TpmsAttest(long magic, int type, TpmName qualifiedSigner, byte[] extraData,
                         long clock, long resetCount, long restartCount, int safe, long firmwareVersion,
                         TpmName objectName, byte[] creationHash) {
  public static final long GENERATED_MAGIC = 0xff544347L;
  public static final int ST_ATTEST_CERTIFY = 0x8017;
  public static final int ST_ATTEST_QUOTE = 0x8018;
  public static final int ST_ATTEST_CREATION = 0x801A;

  public static TpmsAttest parse(byte[] bytes) throws TpmFormatException {
    TpmBuffer in = new TpmBuffer(bytes);
    long magic = in.u32("TPMS_ATTEST magic");
    int type = in.u16("TPMS_ATTEST type");
    if (magic != GENERATED_MAGIC) {
      throw new TpmFormatException(String.format("incorrect magic value: %x", magic));
    }
    TpmName signer = TpmName.read(in, "qualifiedSigner");
    byte[] extraData = in.sized("extraData");
    long clock = in.u64("clockInfo.clock");
    long resetCount = in.u32("clockInfo.resetCount");
    long restartCount = in.u32("clockInfo.restartCount");
    int safe = in.u8("clockInfo.safe");
    long firmware = in.u64("firmwareVersion");
    TpmName objectName = null;
    byte[] creationHash = null;
    switch (type) {
      case ST_ATTEST_CREATION -> {
        objectName = TpmName.read(in, "creationInfo.objectName");
        creationHash = in.sized("creationInfo.creationHash");
      }
      case ST_ATTEST_CERTIFY, ST_ATTEST_QUOTE -> { /* refused later by type */ }
      default -> throw new TpmFormatException(String.format(
          "only Quote, Certify & Creation attestation structures are supported, got type 0x%x", type));
    }
    return new TpmsAttest(magic, type, signer, extraData, clock, resetCount, restartCount, safe, firmware,
        objectName, creationHash);
  }
}
