package io.elemental.conformance.node.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.AttestationException.Kind;
import io.elemental.conformance.attestation.AuthToken;
import io.elemental.conformance.attestation.ChallengeAnswer;
import io.elemental.conformance.attestation.EkTrustBundle;
import io.elemental.conformance.attestation.EndorsementKey;
import io.elemental.conformance.attestation.PendingChallenge;
import io.elemental.conformance.attestation.TpmAttestor;
import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.fixtures.tpm.SwtpmCa;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client (our TPM command client on swtpm) against the server (elemental-attestation), end to end: the
 * token, the AK checks, MakeCredential with go-attestation's parameters, and activation by the TPM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpmAttestationRoundTripTest {
  @TempDir
  static Path dir;

  private final TpmAttestor server = new TpmAttestor();
  private SwtpmCa ca;
  private Swtpm tpm1;
  private Swtpm tpm2;
  private TpmClient client1;
  private TpmClient client2;

  @BeforeAll
  void manufactureTwoTpms() {
    ca = SwtpmCa.create(dir.resolve("ca"));
    tpm1 = Swtpm.manufacture(dir.resolve("tpm1"), Optional.of(ca)).start();
    tpm2 = Swtpm.manufacture(dir.resolve("tpm2"), Optional.of(ca)).start();
    client1 = new TpmClient(tpm1.tctiConfig());
    client2 = new TpmClient(tpm2.tctiConfig());
  }

  @AfterAll
  void stopTpms() {
    if (tpm1 != null) tpm1.close();
    if (tpm2 != null) tpm2.close();
  }

  @Test
  void aTpmAuthenticatesAgainstTheJavaServer() throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      TpmAuthentication auth = client1.authenticate();
      PendingChallenge challenge = server.begin(auth.authorizationHeader(), Optional.of(bundle()));
      byte[] answer = auth.answer(challenge.challengeJson());
      challenge.verifyAnswer(answer);
      millis.add((System.nanoTime() - start) / 1_000_000);

      assertThat(challenge.tpmHash()).isEqualTo(auth.tpmHash()).isEqualTo(sha256OfEkCertificateKey(tpm1));
      assertThat(challenge.challengeJson()).hasSizeLessThan(512);
      assertThat(new String(answer)).startsWith("{\"Secret\":\"").endsWith("\"}\n");
    }
    System.out.println("[tpm] full attestation (token + challenge + activation + verify), ms: " + millis
        + " (first includes reading the EK)");
  }

  @Test
  void theEkCertificateChainsToTheLocalCaAndNotToAnotherOne() throws Exception {
    EndorsementKey ek = client1.endorsementKey();
    assertThat(ek.certificate()).isPresent();
    assertThat(ek.certificate().get().getIssuerX500Principal()).isEqualTo(new X500Principal("CN=swtpm-localca"));
    assertThatCode(() -> bundle().verify(ek)).doesNotThrowAnyException();
    assertThatThrownBy(() -> EkTrustBundle.fromPem(ca.rootCertificatePem()).verify(ek))
        .hasMessageContaining("unknown authority");
    assertThatThrownBy(() -> EkTrustBundle.fromPem(unrelatedCaPem()).verify(ek))
        .isInstanceOf(AttestationException.class)
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.UNTRUSTED_EK);
  }

  @Test
  void anAkFromAnotherTpmCannotAnswerForThisEk() throws Exception {
    TpmAuthentication own = client1.authenticate();
    TpmAuthentication foreign = client2.authenticate();
    AuthToken mixed = own.token().withAk(foreign.token().ak());
    PendingChallenge challenge = server.begin(mixed.toHeader(), Optional.of(bundle()));
    // TPM #2 holds the AK but not EK #1; TPM #1 holds EK #1 but cannot load TPM #2's AK.
    assertThatThrownBy(() -> foreign.answer(challenge.challengeJson()))
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("TPM2_ActivateCredential failed")
        .hasMessageMatching("(?s).*TPM_RC_[A-Z_]+ \\(0x[0-9a-f]{8}.*")
        .hasMessageContaining("not made for this TPM's EK");
    TpmAuthentication impostor = new TpmAuthentication(client1, client1.endorsementKey(),
        foreign.attestationKey(), mixed);
    assertThatThrownBy(() -> impostor.answer(challenge.challengeJson()))
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("TPM2_Load failed").hasMessageContaining("TPM_RC_");
  }

  @Test
  void aWrongAnswerIsRejected() throws Exception {
    TpmAuthentication auth = client1.authenticate();
    PendingChallenge challenge = server.begin(auth.authorizationHeader(), Optional.empty());
    byte[] secret = ChallengeAnswer.fromJson(auth.answer(challenge.challengeJson())).secret();
    secret[31] ^= 0x40;
    assertThatThrownBy(() -> challenge.verifyAnswer(new ChallengeAnswer(secret).toJson()))
        .hasMessage("invalid challenge response");
  }

  @Test
  void aTamperedCreateSignatureFailsTheAkCheck() throws Exception {
    AuthToken token = client1.authenticate().token();
    byte[] signature = token.ak().createSignature();
    signature[100] ^= 1;
    AuthToken tampered = token.withAk(token.ak().withCreateSignature(signature));
    assertThatThrownBy(() -> server.begin(tampered.toHeader(), Optional.empty()))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("could not verify attestation")
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.INVALID_AK);
  }

  @Test
  void aTpmWithoutEkCertificateSendsItsPublicKeyAndSeedsGiveStableIdentities() throws Exception {
    Path cache = dir.resolve("seed-cache");
    try (Swtpm first = Swtpm.fromSeed(cache, 7, dir.resolve("seed7-a")).start();
         Swtpm again = Swtpm.fromSeed(cache, 7, dir.resolve("seed7-b")).start();
         Swtpm other = Swtpm.fromSeed(cache, 8, dir.resolve("seed8")).start()) {
      TpmClient client = new TpmClient(first.tctiConfig());
      TpmAuthentication auth = client.authenticate();
      assertThat(auth.token().ekPemText()).startsWith("-----BEGIN PUBLIC KEY-----");
      PendingChallenge challenge = server.begin(auth.authorizationHeader(), Optional.empty());
      challenge.verifyAnswer(auth.answer(challenge.challengeJson()));
      assertThatThrownBy(() -> server.begin(auth.authorizationHeader(), Optional.of(bundle())))
          .isInstanceOf(AttestationException.class).hasMessageContaining("PUBLIC KEY");

      assertThat(new TpmClient(again.tctiConfig()).endorsementKey().tpmHash()).isEqualTo(auth.tpmHash());
      assertThat(new TpmClient(other.tctiConfig()).endorsementKey().tpmHash()).isNotEqualTo(auth.tpmHash());
    }
  }

  private EkTrustBundle bundle() {
    return EkTrustBundle.fromPem(ca.trustBundlePem());
  }

  private static String sha256OfEkCertificateKey(Swtpm tpm) throws Exception {
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(tpm.ekCertificateDer().orElseThrow()));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
  }

  /** A self-signed CA with the same name as swtpm's issuer but another key. */
  private static String unrelatedCaPem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair key = generator.generateKeyPair();
    var name = new org.bouncycastle.asn1.x500.X500Name("CN=swtpm-localca");
    var holder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, BigInteger.TWO,
        new java.util.Date(System.currentTimeMillis() - 60_000), new java.util.Date(System.currentTimeMillis() + 3_600_000),
        name, key.getPublic())
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
    byte[] der = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder).getEncoded();
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
