package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EndorsementKeyTest {
  @Test
  void certificateEkHashesItsSubjectPublicKeyInfo() throws Exception {
    EndorsementKey ek = EndorsementKey.fromPem(Fixtures.swtpmToken().ekPem());
    assertThat(ek.certificate()).isPresent();
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(ek.certificate().get().getPublicKey().getEncoded()));
    assertThat(ek.tpmHash()).isEqualTo(expected).hasSize(64).isLowerCase();
  }

  @Test
  void publicKeyEkHasTheSameHashAsItsCertificate() throws Exception {
    EndorsementKey fromCert = EndorsementKey.fromPem(Fixtures.swtpmToken().ekPem());
    EndorsementKey fromKey = EndorsementKey.fromPem(Pem.encode("PUBLIC KEY", fromCert.subjectPublicKeyInfo()).getBytes());
    assertThat(fromKey.certificate()).isEmpty();
    assertThat(fromKey.tpmHash()).isEqualTo(fromCert.tpmHash());
    assertThat(new String(fromKey.toPem())).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void refusesOtherPemTypesAndJunk() {
    assertThatThrownBy(() -> EndorsementKey.fromPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
        .getBytes())).isInstanceOf(AttestationException.class).hasMessage("invalid pem type: RSA PRIVATE KEY");
    assertThatThrownBy(() -> EndorsementKey.fromPem("not pem".getBytes()))
        .isInstanceOf(AttestationException.class).hasMessageContaining("not PEM");
    assertThatThrownBy(() -> EndorsementKey.fromPem(null))
        .isInstanceOf(AttestationException.class).hasMessageContaining("no EK");
    assertThatThrownBy(() -> EndorsementKey.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        .getBytes())).isInstanceOf(AttestationException.class).hasMessageContaining("error parsing EK certificate");
  }
}
