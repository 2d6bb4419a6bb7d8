package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one run, as Rancher makes its own when installed with its
 * self-signed certificates: its certificate is what the {@code cacerts} setting carries, and it
 * issues the server certificates of the fronts machines reach. Keys are EC P-256; nothing is
 * written to disk.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(365);

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(X500Name name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new CA whose certificate's subject is {@code CN=<commonName>}. */
  public static CertificateAuthority create(String commonName) {
    try {
      X500Name name = new X500Name("CN=" + commonName);
      KeyPair keys = keys();
      X509v3CertificateBuilder builder = builder(name, name, keys);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(name, keys, sign(builder, keys));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not make the CA " + commonName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Issues a server certificate for {@code names}: each is an IP address (v4 or v6) or a DNS
   * name, and becomes a subject alternative name of that kind.
   */
  public ServerIdentity issueServerCertificate(String commonName, List<String> names) {
    if (names.isEmpty()) throw new IllegalArgumentException("a server certificate needs at least one name");
    try {
      KeyPair server = keys();
      X509v3CertificateBuilder builder = builder(new X500Name("CN=" + commonName), name, server);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, sans(names));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(certificate));
      return new ServerIdentity(server.getPrivate(), List.of(sign(builder, keys), certificate));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not issue a certificate for " + names + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate, PEM: what a client needs to trust what this CA issued. */
  public String caPem() {
    return pem(certificate);
  }

  static String pem(X509Certificate certificate) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a certificate as PEM", e);
    }
    return out.toString();
  }

  private static GeneralNames sans(List<String> names) {
    return new GeneralNames(names.stream()
        .map(n -> isIpAddress(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
        .toArray(GeneralName[]::new));
  }

  static boolean isIpAddress(String name) {
    return name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || name.contains(":");
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, RANDOM);
    return generator.generateKeyPair();
  }
}
