package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The parts of Go's x509.Certificate.Verify that Java's checks do not cover (see {@link EkCertPolicy}). */
final class GoX509Rules {
  /** Extensions Go's parser marks as handled (SubjectAltName only when it holds a name Go reads). */
  private static final Set<String> HANDLED = Set.of(
      "2.5.29.14", "2.5.29.15", "2.5.29.19", "2.5.29.30", "2.5.29.31", "2.5.29.32", "2.5.29.33",
      "2.5.29.35", "2.5.29.36", "2.5.29.37", "2.5.29.54", "1.3.6.1.5.5.7.1.1");
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String EKU_ANY = "2.5.29.37.0";
  private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** rfc822Name, dNSName, uniformResourceIdentifier, iPAddress. */
  private static final Set<Integer> GO_SAN_TYPES = Set.of(1, 2, 6, 7);

  private GoX509Rules() {}

  static void checkLeaf(X509Certificate leaf) throws AttestationException {
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    if (critical != null) {
      for (String oid : critical) {
        if (!HANDLED.contains(oid) && !(oid.equals(SUBJECT_ALT_NAME) && sanHasGoNames(leaf))) {
          throw new AttestationException(Kind.UNTRUSTED_EK, "x509: unhandled critical extension (" + oid
              + (oid.equals(SUBJECT_ALT_NAME) ? ", a SubjectAltName with only a directoryName" : "")
              + "); Go's crypto/x509, used by elemental-operator, refuses this EK certificate");
        }
      }
    }
    if (leaf.getSigAlgName().toUpperCase().startsWith("SHA1")) {
      throw new AttestationException(Kind.UNTRUSTED_EK,
          "x509: cannot verify signature: insecure algorithm " + leaf.getSigAlgName());
    }
  }

  /** Go requires serverAuth along the chain when KeyUsages is empty. */
  static void checkExtendedKeyUsage(List<X509Certificate> chain) throws AttestationException {
    for (X509Certificate cert : chain) {
      List<String> eku;
      try {
        eku = cert.getExtendedKeyUsage();
      } catch (CertificateParsingException e) {
        throw new AttestationException(Kind.UNTRUSTED_EK, "EKU extension of " + cert.getSubjectX500Principal()
            + " is malformed", e);
      }
      if (eku != null && !eku.contains(EKU_ANY) && !eku.contains(EKU_SERVER_AUTH)) {
        throw new AttestationException(Kind.UNTRUSTED_EK, "x509: certificate specifies an incompatible key usage ("
            + cert.getSubjectX500Principal() + " has EKU " + eku + ", Go wants serverAuth)");
      }
    }
  }

  private static boolean sanHasGoNames(X509Certificate cert) {
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names == null) return false;
      for (List<?> name : names) {
        if (!name.isEmpty() && name.get(0) instanceof Integer type && GO_SAN_TYPES.contains(type)) {
          return true;
        }
      }
      return false;
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}
