package io.elemental.conformance.operator.server;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The registration endpoint's TLS identity: a CA made for this operator and a server
 * certificate for the names machines use to reach it. The CA is what Rancher's
 * {@code cacerts} setting carries and what machines find as {@code ca-cert}.
 */
public final class ServerTls {
  static final char[] PASSWORD = "elemental".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyStore keyStore;
  private final String caPem;

  private ServerTls(KeyStore keyStore, String caPem) {
    this.keyStore = keyStore;
    this.caPem = caPem;
  }

  /** {@code names}: host names and IP addresses the server answers as (loopback and QEMU's host, 10.0.2.2, always). */
  public static ServerTls selfSigned(List<String> names) {
    try {
      KeyPair ca = keys();
      X500Name caName = new X500Name("CN=elemental-operator-ca");
      X509Certificate caCert = certificate(caName, ca, caName, ca, true, null);
      KeyPair server = keys();
      List<String> all = new java.util.ArrayList<>(List.of("localhost", "127.0.0.1", "10.0.2.2"));
      names.stream().filter(n -> !all.contains(n)).forEach(all::add);
      GeneralNames sans = new GeneralNames(all.stream()
          .map(n -> n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new));
      X509Certificate serverCert = certificate(new X500Name("CN=elemental-registration"), server, caName, ca, false, sans);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", server.getPrivate(), PASSWORD, new Certificate[] {serverCert, caCert});
      return new ServerTls(store, pem(caCert));
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("could not make the registration endpoint's certificate", e);
    }
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  /** The CA certificate, PEM: what machines need to trust the endpoint. */
  public String caPem() {
    return caPem;
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
      boolean ca, GeneralNames sans) throws IOException, GeneralSecurityException,
      org.bouncycastle.operator.OperatorCreationException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
        subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (sans != null) builder.addExtension(Extension.subjectAlternativeName, false, sans);
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(X509Certificate certificate) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    }
    return out.toString();
  }
}
