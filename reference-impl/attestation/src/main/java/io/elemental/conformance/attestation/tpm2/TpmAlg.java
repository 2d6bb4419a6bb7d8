package io.elemental.conformance.attestation.tpm2;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** TPM_ALG_ID values this code meets, and the hash algorithms Go's tpm2 package maps. */
public final class TpmAlg {
  public static final int RSA = 0x0001;
  public static final int SHA1 = 0x0004;
  public static final int HMAC = 0x0005;
  public static final int AES = 0x0006;
  public static final int KEYEDHASH = 0x0008;
  public static final int XOR = 0x000A;
  public static final int SHA256 = 0x000B;
  public static final int SHA384 = 0x000C;
  public static final int SHA512 = 0x000D;
  public static final int NULL = 0x0010;
  public static final int RSASSA = 0x0014;
  public static final int RSAES = 0x0015;
  public static final int RSAPSS = 0x0016;
  public static final int OAEP = 0x0017;
  public static final int ECDSA = 0x0018;
  public static final int ECDAA = 0x001A;
  public static final int ECC = 0x0023;
  public static final int SYMCIPHER = 0x0025;
  public static final int SHA3_256 = 0x0027;
  public static final int SHA3_384 = 0x0028;
  public static final int SHA3_512 = 0x0029;
  public static final int CFB = 0x0043;

  private TpmAlg() {}

  /** The JCA name of a TPM hash algorithm (the same set go-tpm's Algorithm.Hash() accepts). */
  public static String javaHashName(int alg) throws TpmFormatException {
    return switch (alg) {
      case SHA1 -> "SHA-1";
      case SHA256 -> "SHA-256";
      case SHA384 -> "SHA-384";
      case SHA512 -> "SHA-512";
      case SHA3_256 -> "SHA3-256";
      case SHA3_384 -> "SHA3-384";
      case SHA3_512 -> "SHA3-512";
      default -> throw new TpmFormatException("hash algorithm not supported: " + hex(alg));
    };
  }

  public static MessageDigest digest(int alg) throws TpmFormatException {
    try {
      return MessageDigest.getInstance(javaHashName(alg));
    } catch (NoSuchAlgorithmException e) {
      throw new TpmFormatException("hash algorithm " + hex(alg) + " is not available in this JVM");
    }
  }

  public static int digestSize(int alg) throws TpmFormatException {
    return digest(alg).getDigestLength();
  }

  public static String hex(int alg) {
    return String.format("0x%04x", alg);
  }
}
