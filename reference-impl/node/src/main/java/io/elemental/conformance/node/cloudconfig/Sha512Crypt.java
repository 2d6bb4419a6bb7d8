package io.elemental.conformance.node.cloudconfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * SHA-512 crypt ({@code $6$salt$hash}, 5000 rounds), Ulrich Drepper's scheme that glibc's crypt(3)
 * checks: what yip's entities library stores in /etc/shadow for a {@code passwd} given in clear.
 */
final class Sha512Crypt {
  private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int ROUNDS = 5000;
  private static final int[][] ORDER = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
      {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54},
      {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19},
      {62, 20, 41}};
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sha512Crypt() {}

  /** With a fresh 8-character salt, as entities makes one. */
  static String hash(String password) {
    StringBuilder salt = new StringBuilder();
    for (int i = 0; i < 8; i++) salt.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return hash(password, salt.toString());
  }

  static String hash(String password, String salt) {
    byte[] p = password.getBytes(StandardCharsets.UTF_8);
    byte[] s = salt.substring(0, Math.min(16, salt.length())).getBytes(StandardCharsets.UTF_8);

    byte[] b = digest(p, s, p);
    MessageDigest a = sha512();
    a.update(p);
    a.update(s);
    repeat(a, b, p.length);
    for (int length = p.length; length > 0; length >>= 1) {
      if ((length & 1) != 0) a.update(b);
      else a.update(p);
    }
    byte[] c = a.digest();

    MessageDigest dp = sha512();
    for (int i = 0; i < p.length; i++) dp.update(p);
    byte[] pSequence = sequence(dp.digest(), p.length);
    MessageDigest ds = sha512();
    for (int i = 0; i < 16 + (c[0] & 0xff); i++) ds.update(s);
    byte[] sSequence = sequence(ds.digest(), s.length);

    for (int round = 0; round < ROUNDS; round++) {
      MessageDigest r = sha512();
      r.update((round & 1) != 0 ? pSequence : c);
      if (round % 3 != 0) r.update(sSequence);
      if (round % 7 != 0) r.update(pSequence);
      r.update((round & 1) != 0 ? c : pSequence);
      c = r.digest();
    }

    StringBuilder out = new StringBuilder("$6$").append(new String(s, StandardCharsets.UTF_8)).append('$');
    for (int[] triple : ORDER) encode(out, c[triple[0]], c[triple[1]], c[triple[2]], 4);
    encode(out, (byte) 0, (byte) 0, c[63], 2);
    return out.toString();
  }

  private static void encode(StringBuilder out, byte b2, byte b1, byte b0, int chars) {
    int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
    for (int i = 0; i < chars; i++) {
      out.append(ALPHABET.charAt(w & 0x3f));
      w >>>= 6;
    }
  }

  private static byte[] digest(byte[]... parts) {
    MessageDigest d = sha512();
    for (byte[] part : parts) d.update(part);
    return d.digest();
  }

  private static void repeat(MessageDigest d, byte[] block, int length) {
    int left = length;
    for (; left > 64; left -= 64) d.update(block);
    d.update(block, 0, left);
  }

  private static byte[] sequence(byte[] block, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) out[i] = block[i % 64];
    return out;
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-512 in this Java runtime", e);
    }
  }
}
