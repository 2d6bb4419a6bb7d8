package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import io.elemental.conformance.attestation.tpm2.TpmAlg;
import io.elemental.conformance.attestation.tpm2.TpmFormatException;
import io.elemental.conformance.attestation.tpm2.TpmName;
import io.elemental.conformance.attestation.tpm2.TpmsAttest;
import io.elemental.conformance.attestation.tpm2.TpmsCreationData;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;
import io.elemental.conformance.attestation.tpm2.TpmtSignature;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

/**
 * go-attestation v0.5.1 checkTPM20AKParameters, check for check and in the same order, so the
 * first failure is the one Go would report. Where Go would panic (no signing scheme, an ECDSA
 * signature on an RSA key) this refuses with a message instead.
 */
public final class AkVerifier {
  static final int MIN_RSA_BITS = 2048;

  private AkVerifier() {}

  public static VerifiedAk verify(AttestationParameters ak) throws AttestationException {
    if (ak == null) {
      throw invalid("token has no AK");
    }
    byte[] signatureBytes = ak.createSignature();
    int signatureLength = signatureBytes == null ? 0 : signatureBytes.length;
    if (signatureLength < 8) {
      throw invalid("CreateSignature is too short to be valid: only " + signatureLength + " bytes");
    }
    TpmtPublic pub = parse("AK Public (TPMT_PUBLIC)", () -> TpmtPublic.parse(ak.publicArea()));
    parse("AK CreateData (TPMS_CREATION_DATA)", () -> TpmsCreationData.parse(ak.createData()));
    TpmsAttest attest = parse("AK CreateAttestation (TPMS_ATTEST)", () -> TpmsAttest.parse(ak.createAttestation()));
    if (attest.type() != TpmsAttest.ST_ATTEST_CREATION) {
      throw invalid(String.format("attestation does not apply to creation data: type 0x%x, expected 0x%x",
          attest.type(), TpmsAttest.ST_ATTEST_CREATION));
    }
    if (pub.type() != TpmAlg.RSA) {
      throw invalid("AK key type " + TpmAlg.hex(pub.type()) + " is not supported (only RSA)");
    }
    if (pub.rsa().keyBits() < MIN_RSA_BITS) {
      throw invalid("AK is too small: must be at least " + MIN_RSA_BITS + " bits but was " + pub.rsa().keyBits() + " bits");
    }
    MessageDigest nameHash = parse("AK nameAlg", () -> TpmAlg.digest(pub.nameAlg()));
    if (!MessageDigest.isEqual(nameHash.digest(ak.createData()), attest.creationHash())) {
      throw invalid("creation attestation's creationHash is not the hash of CreateData"
          + " (go-attestation: attestation refers to different public key)");
    }
    if (!pub.has(TpmtPublic.FIXED_TPM)) {
      throw invalid("AK is exportable: fixedTPM is not set");
    }
    if (!pub.has(TpmtPublic.RESTRICTED) || !pub.has(TpmtPublic.FIXED_PARENT)
        || !pub.has(TpmtPublic.SENSITIVE_DATA_ORIGIN)) {
      throw invalid(String.format("AK is not limited to attestation: restricted, fixedParent and sensitiveDataOrigin"
          + " must all be set (attributes 0x%08x)", pub.attributes()));
    }
    TpmName objectName = attest.objectName();
    if (!objectName.hasDigest()) {
      throw invalid("creation attestation's objectName has no digest (" + objectName + ")");
    }
    TpmName computed = parse("AK Name", pub::name);
    // go-tpm compares the digests only, not the algorithm ids.
    if (!MessageDigest.isEqual(computed.digest(), objectName.digest())) {
      throw invalid("creation attestation refers to a different key: objectName " + objectName
          + " is not the AK's Name " + computed);
    }
    verifySignature(ak, pub);
    return new VerifiedAk(pub, attest, objectName);
  }

  private static void verifySignature(AttestationParameters ak, TpmtPublic pub) throws AttestationException {
    if (pub.rsa().schemeAlg() == TpmAlg.NULL) {
      throw invalid("AK has no signing scheme; go-attestation needs one (RSASSA with SHA-256)");
    }
    String hashName = parse("AK signing scheme hash", () -> TpmAlg.javaHashName(pub.rsa().schemeHash()));
    TpmtSignature sig = parse("AK CreateSignature (TPMT_SIGNATURE)", () -> TpmtSignature.parse(ak.createSignature()));
    if (!sig.isRsa()) {
      throw invalid("CreateSignature algorithm " + TpmAlg.hex(sig.sigAlg()) + " does not fit an RSA AK");
    }
    RSAPublicKey key = parse("AK public key", pub::rsaPublicKey);
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(hashName.replace("-", "") + "withRSA");
      verifier.initVerify(key);
      verifier.update(ak.createAttestation());
      valid = verifier.verify(sig.signature());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw invalid("could not verify attestation: " + e.getMessage());
    }
    if (!valid) {
      throw invalid("could not verify attestation: CreateSignature is not the AK's PKCS#1 v1.5 "
          + hashName + " signature over CreateAttestation");
    }
  }

  private interface Step<T> {
    T run() throws TpmFormatException;
  }

  private static <T> T parse(String what, Step<T> step) throws AttestationException {
    try {
      return step.run();
    } catch (TpmFormatException e) {
      throw invalid(what + ": " + e.getMessage());
    }
  }

  private static AttestationException invalid(String message) {
    return new AttestationException(Kind.INVALID_AK, message);
  }
}
