package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.attestation.tpm2.TpmAlg;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Vectors from src/test/resources/vectors/derive_vectors.py (an independent Python KDFa). */
class KdfaTest {
  private static final HexFormat HEX = HexFormat.of();

  static byte[] seed16() {
    byte[] seed = new byte[16];
    for (int i = 0; i < 16; i++) seed[i] = (byte) i;
    return seed;
  }

  static byte[] akName() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("elemental-ak".getBytes(StandardCharsets.US_ASCII));
    byte[] name = new byte[34];
    name[1] = 0x0b;
    System.arraycopy(digest, 0, name, 2, 32);
    return name;
  }

  @Test
  void storageKeyMatchesPythonVector() throws Exception {
    assertThat(HEX.formatHex(akName())).isEqualTo("000b77eb12ad9f0bf36f759d44d07db18552058645ce75d9a18869a2ca437dcf5523");
    assertThat(HEX.formatHex(Kdfa.derive(TpmAlg.SHA256, seed16(), "STORAGE", akName(), null, 128)))
        .isEqualTo("b4448adf400306cd3ef95b2d4753dc97");
  }

  @Test
  void integrityKeyMatchesPythonVector() throws Exception {
    assertThat(HEX.formatHex(Kdfa.derive(TpmAlg.SHA256, seed16(), "INTEGRITY", null, new byte[0], 256)))
        .isEqualTo("9d0eee85ba906b4eb5a28628d1406fc399e7de87d400e0bc42d7c44617498077");
  }

  @Test
  void oddBitCountsMaskTheTopByte() throws Exception {
    assertThat(HEX.formatHex(Kdfa.derive(TpmAlg.SHA256, "k".getBytes(), "L", "u".getBytes(), "v".getBytes(), 12)))
        .isEqualTo("040b");
  }

  @Test
  void longOutputsIterateTheCounter() throws Exception {
    assertThat(HEX.formatHex(Kdfa.derive(TpmAlg.SHA256, "key".getBytes(), "LONG", null, null, 520)))
        .isEqualTo("7ef8886c3bdecc6473bb7aef10243a3e093c782abe81eb3381d2ed38c31f10d94c682d8acf76c38346fd07e18f98c74d"
            + "dda6047973c3c51cde66bc27bcdfb3f10f");
  }
}
