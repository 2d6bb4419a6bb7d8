package io.elemental.conformance.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.attestation.AttestationException.Kind;
import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmsAttest;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One test per check of go-attestation's checkTPM20AKParameters. */
class AkVerifierTest {

  private static void refused(Consumer<SoftwareAk> breakIt, String message) {
    SoftwareAk ak = new SoftwareAk();
    breakIt.accept(ak);
    AttestationParameters params = ak.build();
    assertThatThrownBy(() -> AkVerifier.verify(params))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((AttestationException) e).kind()).isEqualTo(Kind.INVALID_AK);
  }

  @Test
  void acceptsTheSwtpmAk() throws Exception {
    VerifiedAk ak = AkVerifier.verify(Fixtures.swtpmToken().ak());
    assertThat(ak.publicArea().attributes()).isEqualTo(SoftwareAk.TPM_AK_ATTRIBUTES);
    assertThat(ak.objectName()).isEqualTo(ak.publicArea().name());
  }

  @Test
  void acceptsAWellFormedSoftwareAk() throws Exception {
    assertThat(AkVerifier.verify(new SoftwareAk().build()).publicArea().rsa().keyBits()).isEqualTo(2048);
  }

  @Test
  void shortSignature() throws Exception {
    AttestationParameters params = new SoftwareAk().build().withCreateSignature(new byte[7]);
    assertThatThrownBy(() -> AkVerifier.verify(params)).hasMessageContaining("too short to be valid: only 7 bytes");
  }

  @Test
  void truncatedPublic() throws Exception {
    AttestationParameters good = new SoftwareAk().build();
    AttestationParameters params = new AttestationParameters(Arrays.copyOf(good.publicArea(), 30), false,
        good.createData(), good.createAttestation(), good.createSignature());
    assertThatThrownBy(() -> AkVerifier.verify(params)).hasMessageContaining("AK Public (TPMT_PUBLIC)");
  }

  @Test
  void notACreationAttestation() {
    refused(ak -> ak.attestType = TpmsAttest.ST_ATTEST_CERTIFY, "attestation does not apply to creation data");
  }

  @Test
  void notGeneratedByATpm() {
    refused(ak -> ak.magic = 0x12345678L, "incorrect magic value: 12345678");
  }

  @Test
  void tooSmall() {
    refused(ak -> ak.keyBitsField = 1024, "must be at least 2048 bits but was 1024 bits");
  }

  @Test
  void creationHashMismatch() {
    refused(ak -> ak.creationHashOverride = new byte[32], "creationHash is not the hash of CreateData");
  }

  @Test
  void exportable() {
    refused(ak -> ak.attributes &= ~TpmtPublic.FIXED_TPM, "AK is exportable");
  }

  @Test
  void notRestricted() {
    refused(ak -> ak.attributes &= ~TpmtPublic.RESTRICTED, "not limited to attestation");
    refused(ak -> ak.attributes &= ~TpmtPublic.FIXED_PARENT, "not limited to attestation");
    refused(ak -> ak.attributes &= ~TpmtPublic.SENSITIVE_DATA_ORIGIN, "not limited to attestation");
  }

  @Test
  void signIsNotChecked() throws Exception {
    SoftwareAk ak = new SoftwareAk();
    ak.attributes &= ~TpmtPublic.SIGN;
    AkVerifier.verify(ak.build());
  }

  @Test
  void objectNameOfAnotherKey() {
    refused(ak -> ak.objectNameDigestOverride = new byte[32], "refers to a different key");
  }

  @Test
  void noSigningScheme() {
    refused(ak -> ak.schemeAlg = TpmAlg.NULL, "no signing scheme");
  }

  @Test
  void signedByAnotherKey() {
    refused(ak -> ak.signingKeyPair = SoftwareAk.newRsa(2048), "could not verify attestation");
  }

  @Test
  void tamperedSignature() throws Exception {
    AttestationParameters good = Fixtures.swtpmToken().ak();
    byte[] signature = good.createSignature();
    signature[signature.length - 1] ^= 1;
    assertThatThrownBy(() -> AkVerifier.verify(good.withCreateSignature(signature)))
        .hasMessageContaining("could not verify attestation");
  }

  @Test
  void missingAk() {
    assertThatThrownBy(() -> AkVerifier.verify(null)).hasMessageContaining("no AK");
  }
}
