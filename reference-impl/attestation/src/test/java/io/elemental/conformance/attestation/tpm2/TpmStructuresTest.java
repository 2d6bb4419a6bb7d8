package io.elemental.conformance.attestation.tpm2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AuthToken;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TpmStructuresTest {
  private static AuthToken token() throws Exception {
    try (InputStream in = TpmStructuresTest.class.getResourceAsStream("/swtpm/auth-header.txt")) {
      return AuthToken.fromHeader(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }

  @Test
  void readsTheSwtpmAkPublicArea() throws Exception {
    TpmtPublic pub = TpmtPublic.parse(token().ak().publicArea());
    assertThat(pub.type()).isEqualTo(TpmAlg.RSA);
    assertThat(pub.nameAlg()).isEqualTo(TpmAlg.SHA256);
    assertThat(pub.attributes()).isEqualTo(0x00050472L);
    assertThat(pub.rsa().schemeAlg()).isEqualTo(TpmAlg.RSASSA);
    assertThat(pub.rsa().schemeHash()).isEqualTo(TpmAlg.SHA256);
    assertThat(pub.rsa().symmetricAlg()).isEqualTo(TpmAlg.NULL);
    assertThat(pub.rsa().keyBits()).isEqualTo(2048);
    assertThat(pub.rsa().exponent()).isEqualTo(65537);
    assertThat(pub.rsa().modulus()).hasSize(256);
    assertThat(pub.encoded()).isEqualTo(token().ak().publicArea());
    assertThat(pub.rsaPublicKey().getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void readsTheCreationAttestationAndSignature() throws Exception {
    TpmsAttest attest = TpmsAttest.parse(token().ak().createAttestation());
    assertThat(attest.type()).isEqualTo(TpmsAttest.ST_ATTEST_CREATION);
    assertThat(attest.objectName().hashAlg()).isEqualTo(TpmAlg.SHA256);
    assertThat(attest.objectName()).isEqualTo(TpmtPublic.parse(token().ak().publicArea()).name());
    assertThat(attest.creationHash()).hasSize(32);
    TpmtSignature sig = TpmtSignature.parse(token().ak().createSignature());
    assertThat(sig.sigAlg()).isEqualTo(TpmAlg.RSASSA);
    assertThat(sig.signature()).hasSize(256);
    TpmsCreationData data = TpmsCreationData.parse(token().ak().createData());
    assertThat(data.parentNameAlg()).isEqualTo(TpmAlg.SHA256);
    assertThat(data.parentName().hasDigest()).isTrue();
  }

  @Test
  void namesHaveThreeShapes() throws Exception {
    assertThat(TpmName.read(new TpmBuffer(new byte[] {0, 0}), "n").hasDigest()).isFalse();
    assertThat(TpmName.read(new TpmBuffer(new byte[] {0, 4, (byte) 0x81, 0, 0, 1}), "n").handle()).contains(0x81000001L);
    assertThatThrownBy(() -> TpmName.read(new TpmBuffer(new byte[] {0, 3, 0, 0x42, 0}), "n"))
        .hasMessageContaining("hash algorithm not supported: 0x0042");
  }

  @Test
  void truncationIsAFormatError() throws Exception {
    byte[] pub = token().ak().publicArea();
    for (int length = 0; length < pub.length; length++) {
      byte[] cut = Arrays.copyOf(pub, length);
      assertThatThrownBy(() -> TpmtPublic.parse(cut)).isInstanceOf(TpmFormatException.class);
    }
    assertThatThrownBy(() -> TpmsCreationData.parse(new byte[] {0, 0, 0, 2})).hasMessageContaining("got 2");
  }
}
