package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmsAttest;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * Builds AK parameters in software, shaped like a TPM's (TPMT_PUBLIC, TPMS_CREATION_DATA,
 * TPMS_ATTEST, TPMT_SIGNATURE), with knobs to break one property at a time.
 */
final class SoftwareAk {
  static final long TPM_AK_ATTRIBUTES = 0x00050472L;

  private static KeyPair rsa2048;

  long attributes = TPM_AK_ATTRIBUTES;
  int keyBitsField = 2048;
  int schemeAlg = TpmAlg.RSASSA;
  int schemeHash = TpmAlg.SHA256;
  int attestType = TpmsAttest.ST_ATTEST_CREATION;
  long magic = TpmsAttest.GENERATED_MAGIC;
  byte[] creationHashOverride;
  byte[] objectNameDigestOverride;
  KeyPair keyPair;
  KeyPair signingKeyPair;

  static synchronized KeyPair rsa2048() {
    if (rsa2048 == null) rsa2048 = newRsa(2048);
    return rsa2048;
  }

  static KeyPair newRsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  AttestationParameters build() {
    KeyPair key = keyPair == null ? rsa2048() : keyPair;
    KeyPair signer = signingKeyPair == null ? key : signingKeyPair;
    byte[] pub = publicArea((RSAPublicKey) key.getPublic());
    byte[] createData = creationData();
    byte[] nameDigest = objectNameDigestOverride != null ? objectNameDigestOverride : sha256(pub);
    byte[] creationHash = creationHashOverride != null ? creationHashOverride : sha256(createData);
    byte[] attest = attestation(nameDigest, creationHash);
    byte[] signature = sign(signer, attest);
    return new AttestationParameters(pub, false, createData, attest, signature);
  }

  byte[] publicArea(RSAPublicKey key) {
    Writer w = new Writer();
    w.u16(TpmAlg.RSA).u16(TpmAlg.SHA256).u32(attributes).sized(new byte[0]);
    w.u16(TpmAlg.NULL);
    w.u16(schemeAlg);
    if (schemeAlg != TpmAlg.NULL) w.u16(schemeHash);
    byte[] modulus = key.getModulus().toByteArray();
    if (modulus[0] == 0) modulus = Arrays.copyOfRange(modulus, 1, modulus.length);
    w.u16(keyBitsField).u32(0).sized(modulus);
    return w.bytes();
  }

  static byte[] creationData() {
    Writer w = new Writer();
    w.u32(0); // no PCR selection
    w.sized(sha256(new byte[0])); // pcrDigest
    w.u8(0); // locality
    w.u16(TpmAlg.SHA256);
    w.sized(nameOf(sha256("parent".getBytes())));
    w.sized(nameOf(sha256("qualified parent".getBytes())));
    w.sized(new byte[0]);
    return w.bytes();
  }

  byte[] attestation(byte[] nameDigest, byte[] creationHash) {
    Writer w = new Writer();
    w.u32(magic).u16(attestType);
    w.sized(nameOf(sha256("qualified signer".getBytes())));
    w.sized(new byte[0]); // extraData
    w.u32(0).u32(1234).u32(1).u32(0).u8(1); // clock (u64), resetCount, restartCount, safe
    w.u32(0x20191023).u32(0x00163636); // firmwareVersion
    if (attestType == TpmsAttest.ST_ATTEST_CREATION) {
      w.sized(nameOf(nameDigest));
      w.sized(creationHash);
    }
    return w.bytes();
  }

  static byte[] sign(KeyPair signer, byte[] attest) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signer.getPrivate());
      s.update(attest);
      byte[] sig = s.sign();
      return new Writer().u16(TpmAlg.RSASSA).u16(TpmAlg.SHA256).sized(sig).bytes();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] nameOf(byte[] sha256Digest) {
    return new Writer().u16(TpmAlg.SHA256).raw(sha256Digest).bytes();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** TPM wire writer for tests. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      out.write(v >> 8);
      out.write(v);
      return this;
    }

    Writer u32(long v) {
      u16((int) (v >> 16) & 0xffff);
      return u16((int) v & 0xffff);
    }

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Writer sized(byte[] b) {
      return u16(b.length).raw(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static boolean attributesOf(AttestationParameters ak, long flag) throws Exception {
    return TpmtPublic.parse(ak.publicArea()).has(flag);
  }
}
