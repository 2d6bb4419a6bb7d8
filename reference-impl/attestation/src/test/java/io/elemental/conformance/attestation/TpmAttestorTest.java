package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TpmAttestorTest {
  private final TpmAttestor attestor = new TpmAttestor();

  @Test
  void challengeFitsTheGoClientsFirstRead() throws Exception {
    PendingChallenge pending = attestor.begin(Fixtures.swtpmHeader(), Optional.empty());
    // RSA-2048 EK: 96 + 344 base64 characters plus the JSON around them (notes 2.3).
    assertThat(pending.challengeJson()).hasSize(476);
    ChallengeMessage message = ChallengeMessage.fromJson(pending.challengeJson());
    assertThat(message.ec().credential()).hasSize(70);
    assertThat(message.ec().secret()).hasSize(258);
    assertThat(pending.expectedSecret()).hasSize(32);
    assertThat(pending.tpmHash()).isEqualTo(EndorsementKey.fromPem(Fixtures.swtpmToken().ekPem()).tpmHash());
  }

  @Test
  void acceptsOnlyTheRightSecret() throws Exception {
    PendingChallenge pending = attestor.begin(Fixtures.swtpmHeader(), Optional.empty());
    assertThatCode(() -> pending.verifyAnswer(new ChallengeAnswer(pending.expectedSecret()).toJson()))
        .doesNotThrowAnyException();
    byte[] wrong = pending.expectedSecret();
    wrong[0] ^= 1;
    assertThatThrownBy(() -> pending.verifyAnswer(new ChallengeAnswer(wrong).toJson()))
        .hasMessage("invalid challenge response")
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.WRONG_ANSWER);
    assertThatThrownBy(() -> pending.verifyAnswer("{}".getBytes())).hasMessage("invalid challenge response");
    assertThatThrownBy(() -> pending.verifyAnswer("nope".getBytes()))
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.MALFORMED_ANSWER);
  }

  @Test
  void trustIsCheckedBeforeTheAk() throws Exception {
    AuthToken broken = Fixtures.swtpmToken().withAk(new SoftwareAk().build().withCreateSignature(new byte[2]));
    EkTrustBundle unrelated = EkTrustBundle.fromPem(EkTrustBundleTest.selfSignedPem("CN=other"));
    assertThatThrownBy(() -> attestor.begin(broken.toHeader(), Optional.of(unrelated)))
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.UNTRUSTED_EK);
    assertThatThrownBy(() -> attestor.begin(broken.toHeader(), Optional.empty()))
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.INVALID_AK);
  }

  @Test
  void aTokenWithoutAkIsRefusedCleanly() throws Exception {
    AuthToken noAk = Fixtures.swtpmToken().withAk(null);
    assertThatThrownBy(() -> attestor.begin(noAk.toHeader(), Optional.empty())).hasMessageContaining("no AK");
  }
}
