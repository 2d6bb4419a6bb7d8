package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmFormatException;
import io.elemental.conformance.attestation.tpm2.TpmName;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * TPM2_MakeCredential in software, as go-tpm's credactivation.Generate does it for an RSA EK:
 * a 16-byte seed (go-attestation's symBlockSize, not the EK's digest size), OAEP and KDFa with
 * the AK name's hash, AES-128-CFB with a zero IV. The TPM decrypts this with the default EK.
 */
public final class CredentialMaker {
  public static final int SEED_BYTES = 16;
  private static final byte[] IDENTITY_LABEL = {'I', 'D', 'E', 'N', 'T', 'I', 'T', 'Y', 0};

  private CredentialMaker() {}

  public static EncryptedCredential make(TpmName akName, RSAPublicKey ek, byte[] secret, SecureRandom random)
      throws AttestationException {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    try {
      return new EncryptedCredential(identityObject(seed, akName, secret), encryptSeed(seed, ek, akName.hashAlg(), random));
    } catch (TpmFormatException e) {
      throw new AttestationException(Kind.INVALID_AK, "cannot make a credential for AK name " + akName + ": "
          + e.getMessage(), e);
    }
  }

  /** TPM2B_ID_OBJECT: u16 size || u16 hmacSize || outer HMAC || AES-CFB(u16 size || secret). */
  static byte[] identityObject(byte[] seed, TpmName akName, byte[] secret) throws TpmFormatException {
    int hashAlg = akName.hashAlg();
    byte[] name = akName.encodedHashValue();
    byte[] symmetricKey = Kdfa.derive(hashAlg, seed, "STORAGE", name, null, SEED_BYTES * 8);
    byte[] cv = ByteBuffer.allocate(2 + secret.length).putShort((short) secret.length).put(secret).array();
    int digestSize = TpmAlg.digestSize(hashAlg);
    byte[] hmacKey = Kdfa.derive(hashAlg, seed, "INTEGRITY", null, null, digestSize * 8);
    try {
      Cipher aes = Cipher.getInstance("AES/CFB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(symmetricKey, "AES"), new IvParameterSpec(new byte[16]));
      byte[] encIdentity = aes.doFinal(cv);
      String macName = "Hmac" + TpmAlg.javaHashName(hashAlg).replace("-", "");
      Mac mac = Mac.getInstance(macName);
      mac.init(new SecretKeySpec(hmacKey, macName));
      mac.update(encIdentity);
      byte[] outerHmac = mac.doFinal(name);
      int bodySize = 2 + outerHmac.length + encIdentity.length;
      return ByteBuffer.allocate(2 + bodySize).putShort((short) bodySize).putShort((short) outerHmac.length)
          .put(outerHmac).put(encIdentity).array();
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException("credential encryption failed: " + e.getMessage());
    }
  }

  /** TPM2B_ENCRYPTED_SECRET: u16 size || RSA-OAEP(EK, label "IDENTITY\0", seed). */
  static byte[] encryptSeed(byte[] seed, RSAPublicKey ek, int hashAlg, SecureRandom random)
      throws TpmFormatException, AttestationException {
    String hashName = TpmAlg.javaHashName(hashAlg);
    try {
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.ENCRYPT_MODE, ek, new OAEPParameterSpec(hashName, "MGF1", new MGF1ParameterSpec(hashName),
          new PSource.PSpecified(IDENTITY_LABEL)), random);
      byte[] encrypted = oaep.doFinal(seed);
      return ByteBuffer.allocate(2 + encrypted.length).putShort((short) encrypted.length).put(encrypted).array();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new AttestationException(Kind.INVALID_EK, "cannot encrypt the credential seed to the EK: " + e.getMessage(), e);
    }
  }
}
