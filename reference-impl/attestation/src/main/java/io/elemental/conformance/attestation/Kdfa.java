package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TPM 2.0 KDFa (Part 1, 11.4.10.2), as go-tpm implements it: HMAC_H(key, u32 i || label || 0x00
 * || contextU || contextV || u32 bits) for i = 1, 2, …, cut to ceil(bits/8) bytes, unused top bits
 * of the first byte cleared.
 */
public final class Kdfa {
  private Kdfa() {}

  public static byte[] derive(int hashAlg, byte[] key, String label, byte[] contextU, byte[] contextV, int bits)
      throws TpmFormatException {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("KDFa key must not be empty");
    }
    if (bits <= 0) {
      throw new IllegalArgumentException("KDFa bits must be positive");
    }
    String macName = "Hmac" + TpmAlg.javaHashName(hashAlg).replace("-", "");
    try {
      Mac mac = Mac.getInstance(macName);
      mac.init(new SecretKeySpec(key, macName));
      int bytes = (bits + 7) / 8;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int counter = 1; out.size() < bytes; counter++) {
        mac.update(ByteBuffer.allocate(4).putInt(counter).array());
        mac.update(label.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        if (contextU != null) mac.update(contextU);
        if (contextV != null) mac.update(contextV);
        mac.update(ByteBuffer.allocate(4).putInt(bits).array());
        out.writeBytes(mac.doFinal());
      }
      byte[] result = Arrays.copyOf(out.toByteArray(), bytes);
      if (bits % 8 != 0) {
        result[0] &= (byte) ((1 << (bits % 8)) - 1);
      }
      return result;
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException("HMAC for hash " + TpmAlg.hex(hashAlg) + " is not available: " + e.getMessage());
    }
  }
}
