package io.elemental.conformance.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code sha256:<hex>} content digests, the only algorithm registries use in practice. */
public final class Digests {
  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  public static String of(byte[] content) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
  }

  public static String hex(String digest) {
    if (digest == null || !digest.startsWith("sha256:") || digest.length() != 71
        || !digest.substring(7).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new OciException("unsupported digest '" + digest + "': only sha256 digests are handled");
    }
    return digest.substring(7).toLowerCase();
  }
}
