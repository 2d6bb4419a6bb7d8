package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmName;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CredentialMakerTest {
  private static final HexFormat HEX = HexFormat.of();

  private static TpmName name() throws Exception {
    return TpmName.ofDigest(TpmAlg.SHA256, Arrays.copyOfRange(KdfaTest.akName(), 2, 34));
  }

  private static byte[] secret() {
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) secret[i] = (byte) (100 + i);
    return secret;
  }

  @Test
  void identityObjectMatchesPythonVector() throws Exception {
    byte[] credential = CredentialMaker.identityObject(KdfaTest.seed16(), name(), secret());
    assertThat(HEX.formatHex(credential)).isEqualTo(
        "00440020a86aa1670d47f461bfeea405f7670758584d329d6769a26f5df4bbef8f5db5b9160cf2312b37992b6c98232"
            + "31b9bcee9add5ad5e4125ac6fa348786b6f3634798023");
    assertThat(credential).hasSize(70);
  }

  @Test
  void seedIsOaepEncryptedWithTheIdentityLabel() throws Exception {
    KeyPair ek = SoftwareAk.rsa2048();
    byte[] secretBlob = CredentialMaker.encryptSeed(KdfaTest.seed16(), (RSAPublicKey) ek.getPublic(), TpmAlg.SHA256,
        new SecureRandom());
    assertThat(secretBlob).hasSize(258);
    assertThat(ByteBuffer.wrap(secretBlob).getShort()).isEqualTo((short) 256);
    assertThat(oaepDecrypt(ek, Arrays.copyOfRange(secretBlob, 2, secretBlob.length))).isEqualTo(KdfaTest.seed16());
  }

  @Test
  void aTpmHoldingTheEkRecoversTheSecret() throws Exception {
    KeyPair ek = SoftwareAk.rsa2048();
    EncryptedCredential ec = CredentialMaker.make(name(), (RSAPublicKey) ek.getPublic(), secret(), new SecureRandom());
    assertThat(ec.credential()).hasSize(70);
    assertThat(ec.secret()).hasSize(258);
    assertThat(activateInSoftware(ek, name(), ec)).isEqualTo(secret());
  }

  /** TPM2_ActivateCredential's steps (Part 1, 24.4-24.5), with JCE primitives. */
  private static byte[] activateInSoftware(KeyPair ek, TpmName name, EncryptedCredential ec) throws Exception {
    byte[] seed = oaepDecrypt(ek, Arrays.copyOfRange(ec.secret(), 2, ec.secret().length));
    ByteBuffer id = ByteBuffer.wrap(ec.credential());
    int bodySize = id.getShort();
    assertThat(bodySize).isEqualTo(ec.credential().length - 2);
    byte[] hmac = new byte[id.getShort()];
    id.get(hmac);
    byte[] encIdentity = new byte[id.remaining()];
    id.get(encIdentity);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Kdfa.derive(TpmAlg.SHA256, seed, "INTEGRITY", null, null, 256), "HmacSHA256"));
    mac.update(encIdentity);
    assertThat(mac.doFinal(name.encodedHashValue())).isEqualTo(hmac);
    Cipher aes = Cipher.getInstance("AES/CFB/NoPadding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(
        Kdfa.derive(TpmAlg.SHA256, seed, "STORAGE", name.encodedHashValue(), null, 128), "AES"),
        new IvParameterSpec(new byte[16]));
    ByteBuffer cv = ByteBuffer.wrap(aes.doFinal(encIdentity));
    byte[] secret = new byte[cv.getShort()];
    cv.get(secret);
    return secret;
  }

  private static byte[] oaepDecrypt(KeyPair ek, byte[] encrypted) throws Exception {
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(Cipher.DECRYPT_MODE, ek.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        new PSource.PSpecified("IDENTITY\0".getBytes())));
    return oaep.doFinal(encrypted);
  }
}
