package io.elemental.conformance.node.tpm;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The TPMT_PUBLIC templates of the three keys, byte for byte what the tpm2-tools commands used
 * before made (and what go-attestation asks for), so keys and Names stay the same.
 */
final class TpmTemplates {
  private static final int RSA = 0x0001;
  private static final int SHA256 = 0x000B;
  private static final int AES = 0x0006;
  private static final int CFB = 0x0043;
  private static final int NULL = 0x0010;
  private static final int RSASSA = 0x0014;

  private static final int FIXED_TPM = 0x00000002;
  private static final int FIXED_PARENT = 0x00000010;
  private static final int SENSITIVE_DATA_ORIGIN = 0x00000020;
  private static final int USER_WITH_AUTH = 0x00000040;
  private static final int ADMIN_WITH_POLICY = 0x00000080;
  private static final int NO_DA = 0x00000400;
  private static final int RESTRICTED = 0x00010000;
  private static final int DECRYPT = 0x00020000;
  private static final int SIGN = 0x00040000;

  /** PolicySecret(TPM_RH_ENDORSEMENT): the TCG EK credential profile's policy A (SHA-256). */
  private static final byte[] EK_POLICY =
      HexFormat.of().parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");

  private TpmTemplates() {}

  /**
   * The TCG default RSA-2048 EK (template L-1), as {@code tpm2_createek -G rsa} makes it: 256
   * zero bytes of unique, so every TPM derives the same EK from its seed each time.
   */
  static byte[] endorsementKey() {
    return rsa(FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | ADMIN_WITH_POLICY | RESTRICTED | DECRYPT,
        EK_POLICY, true, NULL, new byte[256]);
  }

  /** {@code tpm2_createprimary -C o -g sha256 -G rsa2048:null:aes128cfb -a ...restricted|decrypt|noda}. */
  static byte[] storageRootKey() {
    return rsa(FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH | NO_DA | RESTRICTED | DECRYPT,
        new byte[0], true, NULL, new byte[0]);
  }

  /** go-attestation's AK: restricted RSASSA-SHA256 signing key, {@code tpm2_create -G rsa2048:rsassa-sha256:null}. */
  static byte[] attestationKey() {
    return rsa(FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH | NO_DA | RESTRICTED | SIGN,
        new byte[0], false, RSASSA, new byte[0]);
  }

  private static byte[] rsa(int attributes, byte[] policy, boolean aes128Cfb, int scheme, byte[] unique) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, RSA);
    u16(out, SHA256);
    u32(out, attributes);
    sized(out, policy);
    if (aes128Cfb) {
      u16(out, AES);
      u16(out, 128);
      u16(out, CFB);
    } else {
      u16(out, NULL);
    }
    u16(out, scheme);
    if (scheme != NULL) u16(out, SHA256);
    u16(out, 2048);
    u32(out, 0); // exponent 0: the default 65537
    sized(out, unique);
    return out.toByteArray();
  }

  private static void sized(ByteArrayOutputStream out, byte[] bytes) {
    u16(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value);
  }

  private static void u32(ByteArrayOutputStream out, int value) {
    u16(out, value >>> 16);
    u16(out, value);
  }
}
