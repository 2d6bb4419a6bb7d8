package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class EkTrustBundleTest {
  private static EndorsementKey swtpmEk() throws Exception {
    return EndorsementKey.fromPem(Fixtures.swtpmToken().ekPem());
  }

  @Test
  void localCaBundleTrustsTheSwtpmEk() throws Exception {
    EkTrustBundle bundle = EkTrustBundle.fromPem(Fixtures.localCaRoot() + Fixtures.localCaIssuer());
    assertThat(bundle.anchors()).hasSize(2);
    assertThatCode(() -> bundle.verify(swtpmEk())).doesNotThrowAnyException();
  }

  @Test
  void theRootAloneIsNotEnoughBecauseTheEkIsSignedByTheIntermediate() {
    EkTrustBundle rootOnly = EkTrustBundle.fromPem(Fixtures.localCaRoot());
    assertThatThrownBy(() -> rootOnly.verify(swtpmEk()))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("signed by unknown authority")
        .hasMessageContaining("swtpm-localca");
  }

  @Test
  void anUnrelatedCaIsRefused() throws Exception {
    EkTrustBundle unrelated = EkTrustBundle.fromPem(selfSignedPem("CN=swtpm-localca"));
    assertThatThrownBy(() -> unrelated.verify(swtpmEk()))
        .isInstanceOf(AttestationException.class)
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.UNTRUSTED_EK);
    assertThatThrownBy(() -> EkTrustBundle.fromPem("no certificates here").verify(swtpmEk()))
        .isInstanceOf(AttestationException.class).hasMessageContaining("unknown authority");
  }

  @Test
  void aPublicKeyEkIsACleanRejectionWhenABundleIsConfigured() throws Exception {
    EndorsementKey bare = EndorsementKey.fromPem(Pem.encode("PUBLIC KEY", swtpmEk().subjectPublicKeyInfo()).getBytes());
    EkTrustBundle bundle = EkTrustBundle.fromPem(Fixtures.localCaIssuer());
    assertThatThrownBy(() -> bundle.verify(bare))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("PUBLIC KEY")
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.UNTRUSTED_EK);
  }

  @Test
  void goCryptoX509PolicyRefusesTcgEkCertificatesAsTheRealOperatorDoes() {
    EkTrustBundle bundle = EkTrustBundle.fromPem(Fixtures.localCaIssuer(), EkCertPolicy.GO_CRYPTO_X509);
    assertThatThrownBy(() -> bundle.verify(swtpmEk()))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("x509: unhandled critical extension (2.5.29.17");
  }

  static String selfSignedPem(String subject) throws Exception {
    KeyPair key = SoftwareAk.rsa2048();
    X500Name name = new X500Name(subject);
    var holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(System.currentTimeMillis() - 60_000),
        new Date(System.currentTimeMillis() + 3_600_000), name, key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
    return Pem.encode("CERTIFICATE", new JcaX509CertificateConverter().getCertificate(holder).getEncoded());
  }
}
