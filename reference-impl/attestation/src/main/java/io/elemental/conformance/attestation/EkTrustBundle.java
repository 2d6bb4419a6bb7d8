package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tpm-ca Secret's {@code tls.crt}: PEM certificates, each one a trust anchor (Go's
 * CertPool as Roots, no Intermediates). Blocks that are not parseable certificates are
 * skipped, as AppendCertsFromPEM does.
 */
public final class EkTrustBundle {
  private final List<X509Certificate> anchors;
  private final EkCertPolicy policy;

  private EkTrustBundle(List<X509Certificate> anchors, EkCertPolicy policy) {
    this.anchors = List.copyOf(anchors);
    this.policy = policy;
  }

  public static EkTrustBundle fromPem(String pem) {
    return fromPem(pem, EkCertPolicy.TCG_EK_PROFILE);
  }

  public static EkTrustBundle fromPem(String pem, EkCertPolicy policy) {
    List<X509Certificate> certs = new ArrayList<>();
    for (Pem.Block block : Pem.all(pem)) {
      if (!block.type().equals("CERTIFICATE")) continue;
      try {
        certs.add((X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (GeneralSecurityException | RuntimeException e) {
        // skipped, like Go
      }
    }
    return new EkTrustBundle(certs, policy);
  }

  public List<X509Certificate> anchors() {
    return anchors;
  }

  public EkCertPolicy policy() {
    return policy;
  }

  public void verify(EndorsementKey ek) throws AttestationException {
    verify(ek, Instant.now());
  }

  public void verify(EndorsementKey ek, Instant now) throws AttestationException {
    X509Certificate leaf = ek.certificate().orElseThrow(() -> new AttestationException(Kind.UNTRUSTED_EK,
        "the EK came as a PUBLIC KEY, but a tpm-ca bundle is configured and needs an EK certificate"
            + " (the real operator dereferences a nil certificate here)"));
    if (policy == EkCertPolicy.GO_CRYPTO_X509) {
      GoX509Rules.checkLeaf(leaf);
    }
    checkValidity(leaf, now);
    X509Certificate anchor = findAnchor(leaf);
    checkValidity(anchor, now);
    if (policy == EkCertPolicy.GO_CRYPTO_X509) {
      GoX509Rules.checkExtendedKeyUsage(anchor == leaf ? List.of(leaf) : List.of(leaf, anchor));
    }
  }

  private X509Certificate findAnchor(X509Certificate leaf) throws AttestationException {
    for (X509Certificate candidate : anchors) {
      if (sameEncoding(candidate, leaf)) return candidate;
    }
    for (X509Certificate candidate : anchors) {
      if (!candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) continue;
      try {
        leaf.verify(candidate.getPublicKey());
        return candidate;
      } catch (GeneralSecurityException | RuntimeException e) {
        // same name, other key: keep looking
      }
    }
    String held = anchors.stream().map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.joining("; "));
    throw new AttestationException(Kind.UNTRUSTED_EK, "x509: certificate signed by unknown authority: EK certificate"
        + " issuer '" + leaf.getIssuerX500Principal().getName() + "' is not among the tpm-ca anchors ["
        + held + "] (an intermediate CA must itself be in tls.crt; the operator passes no intermediates)");
  }

  private static void checkValidity(X509Certificate cert, Instant now) throws AttestationException {
    try {
      cert.checkValidity(Date.from(now));
    } catch (GeneralSecurityException e) {
      throw new AttestationException(Kind.UNTRUSTED_EK, "x509: certificate has expired or is not yet valid: "
          + cert.getSubjectX500Principal().getName() + " is valid " + cert.getNotBefore().toInstant() + " to "
          + cert.getNotAfter().toInstant() + ", now is " + now, e);
    }
  }

  private static boolean sameEncoding(X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
