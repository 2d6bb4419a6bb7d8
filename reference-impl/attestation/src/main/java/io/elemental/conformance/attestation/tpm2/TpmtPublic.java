package io.elemental.conformance.attestation.tpm2;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;

/**
 * A TPMT_PUBLIC (the AK's public area, without the TPM2B size). RSA keys are decoded fully, the
 * way go-tpm's DecodePublic does; other key types keep only the common header, because the AK
 * check refuses them anyway. Trailing bytes are ignored, as in go-tpm.
 */
public final class TpmtPublic {
  public static final long FIXED_TPM = 0x00000002L;
  public static final long FIXED_PARENT = 0x00000010L;
  public static final long SENSITIVE_DATA_ORIGIN = 0x00000020L;
  public static final long USER_WITH_AUTH = 0x00000040L;
  public static final long NO_DA = 0x00000400L;
  public static final long RESTRICTED = 0x00010000L;
  public static final long DECRYPT = 0x00020000L;
  public static final long SIGN = 0x00040000L;

  private final int type;
  private final int nameAlg;
  private final long attributes;
  private final byte[] authPolicy;
  private final RsaParameters rsa;
  private final byte[] encoded;

  /** TPMS_RSA_PARMS plus the unique modulus; {@code schemeAlg == NULL} means no scheme. */
  public record RsaParameters(int symmetricAlg, int symmetricKeyBits, int symmetricMode,
                              int schemeAlg, int schemeHash, int keyBits, long exponentRaw, byte[] modulus) {
    public long exponent() {
      return exponentRaw == 0 ? 65537 : exponentRaw;
    }
  }

  private TpmtPublic(int type, int nameAlg, long attributes, byte[] authPolicy, RsaParameters rsa, byte[] encoded) {
    this.type = type;
    this.nameAlg = nameAlg;
    this.attributes = attributes;
    this.authPolicy = authPolicy;
    this.rsa = rsa;
    this.encoded = encoded;
  }

  public static TpmtPublic parse(byte[] bytes) throws TpmFormatException {
    TpmBuffer in = new TpmBuffer(bytes);
    int type = in.u16("TPMT_PUBLIC type");
    int nameAlg = in.u16("TPMT_PUBLIC nameAlg");
    long attributes = in.u32("TPMT_PUBLIC objectAttributes");
    byte[] authPolicy = in.sized("TPMT_PUBLIC authPolicy");
    RsaParameters rsa = null;
    switch (type) {
      case TpmAlg.RSA -> rsa = readRsa(in);
      case TpmAlg.ECC, TpmAlg.KEYEDHASH, TpmAlg.SYMCIPHER -> { /* refused later by type */ }
      default -> throw new TpmFormatException("unsupported type in TPMT_PUBLIC: " + TpmAlg.hex(type));
    }
    return new TpmtPublic(type, nameAlg, attributes, authPolicy, rsa, in.consumed());
  }

  private static RsaParameters readRsa(TpmBuffer in) throws TpmFormatException {
    int symAlg = in.u16("RSA symmetric algorithm");
    int symBits = 0;
    int symMode = TpmAlg.NULL;
    if (symAlg != TpmAlg.NULL) {
      symBits = in.u16("RSA symmetric keyBits");
      symMode = in.u16("RSA symmetric mode");
    }
    int schemeAlg = in.u16("RSA scheme");
    int schemeHash = TpmAlg.NULL;
    if (schemeAlg != TpmAlg.NULL) {
      // go-tpm reads a hash for every non-NULL scheme (and a count for ECDAA); so do we.
      schemeHash = in.u16("RSA scheme hash");
      if (schemeAlg == TpmAlg.ECDAA) {
        in.u32("RSA scheme count");
      }
    }
    int keyBits = in.u16("RSA keyBits");
    long exponent = in.u32("RSA exponent");
    byte[] modulus = in.sized("RSA modulus");
    return new RsaParameters(symAlg, symBits, symMode, schemeAlg, schemeHash, keyBits, exponent, modulus);
  }

  public int type() {
    return type;
  }

  public int nameAlg() {
    return nameAlg;
  }

  public long attributes() {
    return attributes;
  }

  public boolean has(long attribute) {
    return (attributes & attribute) == attribute;
  }

  public byte[] authPolicy() {
    return authPolicy.clone();
  }

  /** Null unless {@link #type()} is RSA. */
  public RsaParameters rsa() {
    return rsa;
  }

  /** The exact bytes of this structure (what its Name is computed over). */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The Name: nameAlg || H_nameAlg(TPMT_PUBLIC). */
  public TpmName name() throws TpmFormatException {
    MessageDigest digest = TpmAlg.digest(nameAlg);
    return TpmName.ofDigest(nameAlg, digest.digest(encoded));
  }

  public RSAPublicKey rsaPublicKey() throws TpmFormatException {
    if (rsa == null) {
      throw new TpmFormatException("not an RSA key: type " + TpmAlg.hex(type));
    }
    try {
      RSAPublicKeySpec spec = new RSAPublicKeySpec(new BigInteger(1, rsa.modulus()), BigInteger.valueOf(rsa.exponent()));
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException | ArithmeticException e) {
      throw new TpmFormatException("RSA public key is unusable: " + e.getMessage());
    }
  }
}
