package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.AttestationException.Kind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The EK as the token carries it: a PEM CERTIFICATE (from NV 0x01c00002) or a PEM PUBLIC KEY.
 * Its identity, the tpmHash, is the lowercase hex SHA-256 of the key's PKIX SubjectPublicKeyInfo.
 */
public record EndorsementKey(PublicKey publicKey, Optional<X509Certificate> certificate) {

  /** Reads the first PEM block, like rancher-sandbox/go-tpm's DecodeEK. */
  public static EndorsementKey fromPem(byte[] pem) throws AttestationException {
    if (pem == null || pem.length == 0) {
      throw new AttestationException(Kind.INVALID_EK, "token has no EK (invalid pemBytes)");
    }
    Pem.Block block = Pem.first(new String(pem, StandardCharsets.US_ASCII))
        .orElseThrow(() -> new AttestationException(Kind.INVALID_EK, "token EK is not PEM (invalid pemBytes)"));
    return switch (block.type()) {
      case "CERTIFICATE" -> ofCertificate(block.der());
      case "PUBLIC KEY" -> ofPublicKey(block.der());
      default -> throw new AttestationException(Kind.INVALID_EK, "invalid pem type: " + block.type());
    };
  }

  public static EndorsementKey ofCertificate(byte[] der) throws AttestationException {
    try {
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new EndorsementKey(cert.getPublicKey(), Optional.of(cert));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new AttestationException(Kind.INVALID_EK, "error parsing EK certificate: " + e.getMessage(), e);
    }
  }

  public static EndorsementKey ofPublicKey(byte[] spkiDer) throws AttestationException {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return new EndorsementKey(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spkiDer)),
            Optional.empty());
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new AttestationException(Kind.INVALID_EK, "error parsing EK public key: not an RSA or EC SubjectPublicKeyInfo");
  }

  /** PKIX DER as Go's x509.MarshalPKIXPublicKey writes it (RSA re-encoded canonically). */
  public byte[] subjectPublicKeyInfo() {
    if (publicKey instanceof RSAPublicKey rsa) {
      try {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("RSA is always available", e);
      }
    }
    return publicKey.getEncoded();
  }

  public String tpmHash() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The PEM text a client puts into the token (certificate when there is one). */
  public byte[] toPem() {
    String text;
    try {
      text = certificate.isPresent()
          ? Pem.encode("CERTIFICATE", certificate.get().getEncoded())
          : Pem.encode("PUBLIC KEY", subjectPublicKeyInfo());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a parsed certificate re-encodes", e);
    }
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
