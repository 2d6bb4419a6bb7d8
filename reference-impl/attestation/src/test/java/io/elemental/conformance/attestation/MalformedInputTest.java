package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.attestation.tpm2.TpmFormatException;
import io.elemental.conformance.attestation.tpm2.TpmsAttest;
import io.elemental.conformance.attestation.tpm2.TpmsCreationData;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;
import io.elemental.conformance.attestation.tpm2.TpmtSignature;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input never escapes as an unchecked exception: every refusal is an
 * {@link AttestationException} with a message.
 */
class MalformedInputTest {
  private static final TpmAttestor ATTESTOR = new TpmAttestor();

  /** Runs {@code action}; only success or one of our exceptions is allowed. */
  private static void onlyOurs(ThrowingRunnable action) {
    try {
      action.run();
    } catch (AttestationException e) {
      assertThat(e.getMessage()).isNotBlank();
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Property(tries = 300)
  void arbitraryHeaders(@ForAll @Size(max = 300) String tail) {
    onlyOurs(() -> ATTESTOR.begin("Bearer TPM" + tail, Optional.empty()));
    onlyOurs(() -> ATTESTOR.begin("Bearer TPM" + Base64.getEncoder().encodeToString(tail.getBytes(StandardCharsets.UTF_8)),
        Optional.empty()));
  }

  @Property(tries = 300)
  void arbitraryStructures(@ForAll @Size(max = 400) byte[] bytes) {
    onlyOurs(() -> TpmtPublic.parse(bytes));
    onlyOurs(() -> TpmsCreationData.parse(bytes));
    onlyOurs(() -> TpmsAttest.parse(bytes));
    onlyOurs(() -> TpmtSignature.parse(bytes));
    onlyOurs(() -> AuthToken.fromJson(bytes));
    onlyOurs(() -> ChallengeMessage.fromJson(bytes));
    onlyOurs(() -> ChallengeAnswer.fromJson(bytes));
    onlyOurs(() -> EndorsementKey.fromPem(bytes));
  }

  @Property(tries = 400)
  void mutatedSwtpmTokens(@ForAll("mutations") Mutation mutation) throws Exception {
    AuthToken token = Fixtures.swtpmToken();
    AttestationParameters ak = token.ak();
    byte[][] fields = {ak.publicArea(), ak.createData(), ak.createAttestation(), ak.createSignature(), token.ekPem()};
    byte[] target = fields[mutation.field()];
    byte[] mutated = mutation.apply(target);
    fields[mutation.field()] = mutated;
    AuthToken changed = new AuthToken(fields[4], new AttestationParameters(fields[0], false, fields[1], fields[2], fields[3]));
    onlyOurs(() -> ATTESTOR.begin(changed.toHeader(), Optional.empty()));
    onlyOurs(() -> ATTESTOR.begin(changed.toHeader(), Optional.of(EkTrustBundle.fromPem(Fixtures.localCaIssuer()))));
  }

  @Property(tries = 200)
  void mutatedTokenJson(@ForAll("jsonEdits") String json) {
    onlyOurs(() -> ATTESTOR.begin("Bearer TPM" + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)),
        Optional.empty()));
  }

  /** Flip, cut or grow one field of the token. */
  record Mutation(int field, int position, int value, int kind) {
    byte[] apply(byte[] original) {
      byte[] copy = original.clone();
      int at = Math.floorMod(position, Math.max(1, copy.length));
      return switch (kind) {
        case 0 -> {
          if (copy.length > 0) copy[at] = (byte) value;
          yield copy;
        }
        case 1 -> java.util.Arrays.copyOf(copy, at);
        default -> {
          byte[] longer = java.util.Arrays.copyOf(copy, copy.length + 1 + Math.floorMod(value, 40));
          longer[copy.length] = (byte) value;
          yield longer;
        }
      };
    }
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return net.jqwik.api.Combinators.combine(
        Arbitraries.integers().between(0, 4), Arbitraries.integers(), Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 2)).as(Mutation::new);
  }

  @Provide
  Arbitrary<String> jsonEdits() {
    return Arbitraries.of(
        "{\"EK\":null,\"AK\":null}", "{\"AK\":{}}", "{\"EK\":\"\",\"AK\":{\"Public\":\"\"}}", "null", "\"s\"", "1",
        "{\"EK\":\"LS0t\",\"AK\":[]}", "{\"EK\":[1],\"AK\":{}}", "{\"AK\":{\"UseTCSDActivationFormat\":\"yes\"}}",
        "{\"EK\":\"QUFB\",\"AK\":{\"CreateSignature\":\"AAAAAAAAAAAA\"}}", "{", "{\"EK\":\"=\"}", "");
  }

  @Property(tries = 100)
  void challengesForMutatedStructuresNeverCrash(@ForAll @Size(min = 8, max = 300) byte[] signature) throws Exception {
    AuthToken token = Fixtures.swtpmToken();
    onlyOurs(() -> ATTESTOR.begin(token.withAk(token.ak().withCreateSignature(signature)).toHeader(), Optional.empty()));
  }

  static {
    // TpmFormatException must stay one of ours.
    assertThat(AttestationException.class.isAssignableFrom(TpmFormatException.class)).isTrue();
  }
}
