package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthTokenTest {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesGoFieldNamesInStructOrder() {
    AuthToken token = new AuthToken("PEM".getBytes(), new AttestationParameters(new byte[] {1}, false, new byte[] {2},
        new byte[] {3}, new byte[] {4}));
    assertThat(new String(token.toJson(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"EK\":\"UEVN\",\"AK\":{\"Public\":\"AQ==\",\"UseTCSDActivationFormat\":false,\"CreateData\":\"Ag==\","
            + "\"CreateAttestation\":\"Aw==\",\"CreateSignature\":\"BA==\"}}");
    assertThat(token.toHeader()).startsWith("Bearer TPMeyJFSyI6");
  }

  @Test
  void headerRoundTrips() throws Exception {
    AuthToken token = Fixtures.swtpmToken();
    AuthToken again = AuthToken.fromHeader(token.toHeader());
    assertThat(again.ekPem()).isEqualTo(token.ekPem());
    assertThat(again.ak().createSignature()).isEqualTo(token.ak().createSignature());
  }

  @Test
  void swtpmTokenHasTheSanityPrefixesOfTheNotes() throws Exception {
    AuthToken token = Fixtures.swtpmToken();
    Base64.Encoder b64 = Base64.getEncoder();
    assertThat(b64.encodeToString(token.ak().publicArea())).startsWith("AAEACwAFBHI");
    assertThat(b64.encodeToString(token.ak().createAttestation())).startsWith("/1RDR4Aa");
    assertThat(b64.encodeToString(token.ak().createSignature())).startsWith("ABQACwEA");
    assertThat(token.ekPemText()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void keysMatchCaseInsensitivelyAsInGo() throws Exception {
    AuthToken token = AuthToken.fromJson(("{\"ek\":\"" + b64("x") + "\",\"ak\":{\"public\":\"AQ==\",\"createsignature\":null}}")
        .getBytes());
    assertThat(token.ekPem()).isEqualTo("x".getBytes());
    assertThat(token.ak().publicArea()).containsExactly(1);
    assertThat(token.ak().createSignature()).isNull();
  }

  @Test
  void refusesHeadersThatAreNotTpmTokens() {
    assertThatThrownBy(() -> AuthToken.fromHeader("Bearer PLAINabc"))
        .isInstanceOf(AttestationException.class).hasMessageContaining("not a TPM bearer token");
    assertThatThrownBy(() -> AuthToken.fromHeader("Bearer TPM!!!"))
        .isInstanceOf(AttestationException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> AuthToken.fromHeader("Bearer TPM" + b64("{\"EK\":1}")))
        .isInstanceOf(AttestationException.class).hasMessageContaining("EK must be a base64 string");
    assertThatThrownBy(() -> AuthToken.fromHeader("Bearer TPM" + b64("{} trailing")))
        .isInstanceOf(AttestationException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> AuthToken.fromHeader("Bearer TPM" + b64("[]")))
        .isInstanceOf(AttestationException.class).hasMessageContaining("must be a JSON object")
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.MALFORMED_TOKEN);
  }

  @Test
  void challengeAndAnswerUseGoShapes() throws Exception {
    ChallengeMessage message = new ChallengeMessage(new EncryptedCredential(new byte[] {0, 1, 9}, new byte[] {0, 1, 8}));
    assertThat(new String(message.toJson())).isEqualTo("{\"EC\":{\"Credential\":\"AAEJ\",\"Secret\":\"AAEI\"}}");
    assertThat(ChallengeMessage.fromJson(message.toJson()).ec().secret()).containsExactly(0, 1, 8);
    assertThat(new String(new ChallengeAnswer(new byte[] {7}).toJson())).isEqualTo("{\"Secret\":\"Bw==\"}\n");
    assertThat(ChallengeAnswer.fromJson("{\"Secret\":\"Bw==\"}\n".getBytes()).secret()).containsExactly(7);
    assertThatThrownBy(() -> ChallengeMessage.fromJson("{\"EC\":{\"Credential\":\"AA==\"}}".getBytes()))
        .isInstanceOf(AttestationException.class).hasMessageContaining("TPM2B");
  }
}
