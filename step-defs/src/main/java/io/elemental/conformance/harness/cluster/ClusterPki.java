package io.elemental.conformance.harness.cluster;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The certificates of a throw-away cluster, as PEM files in one folder: a CA, the API server's
 * serving certificate, client certificates for an admin (group system:masters), the
 * controller-manager and the scheduler (their own RBAC identities) and the node's kubelet (group
 * system:nodes, for the Node authorizer), and the RSA key pair that signs service-account tokens. TLS keys are ECDSA P-256: an RSA key costs 100-500 ms to make here, an EC key 1-20 ms.
 */
final class ClusterPki {
  static final String ADMIN_USER = "elemental-harness-admin";
  static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
  static final String SCHEDULER_USER = "system:kube-scheduler";
  /** The one node's name; the Node authorizer knows a kubelet by "system:node:" + this. */
  static final String NODE_NAME = "elemental-node-1";
  private static final List<String> SERVER_NAMES = List.of("127.0.0.1", "localhost", "kubernetes",
      "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.0.0.1");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(7);

  final Path caCert;
  final Path serverCert;
  final Path serverKey;
  final Path adminCert;
  final Path adminKey;
  final Path controllerManagerCert;
  final Path controllerManagerKey;
  final Path schedulerCert;
  final Path schedulerKey;
  final Path kubeletCert;
  final Path kubeletKey;
  final Path serviceAccountKey;
  final Path serviceAccountPublicKey;

  private ClusterPki(Path dir) {
    caCert = dir.resolve("ca.crt");
    serverCert = dir.resolve("apiserver.crt");
    serverKey = dir.resolve("apiserver.key");
    adminCert = dir.resolve("admin.crt");
    adminKey = dir.resolve("admin.key");
    controllerManagerCert = dir.resolve("controller-manager.crt");
    controllerManagerKey = dir.resolve("controller-manager.key");
    schedulerCert = dir.resolve("scheduler.crt");
    schedulerKey = dir.resolve("scheduler.key");
    kubeletCert = dir.resolve("kubelet.crt");
    kubeletKey = dir.resolve("kubelet.key");
    serviceAccountKey = dir.resolve("sa.key");
    serviceAccountPublicKey = dir.resolve("sa.pub");
  }

  static ClusterPki create(Path dir) {
    try {
      Files.createDirectories(dir);
      ClusterPki pki = new ClusterPki(dir);
      KeyPair ca = ec();
      X500Name caName = new X500Name("CN=elemental-harness-ca");
      write(pki.caCert, sign(caName, ca, caName, ca, null, null));

      GeneralNames sans = new GeneralNames(SERVER_NAMES.stream()
          .map(n -> Character.isDigit(n.charAt(0))
              ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new));
      pki.issue(pki.serverCert, pki.serverKey, "CN=kube-apiserver", caName, ca, sans, KeyPurposeId.id_kp_serverAuth);
      pki.issue(pki.adminCert, pki.adminKey, "O=system:masters,CN=" + ADMIN_USER, caName, ca, null,
          KeyPurposeId.id_kp_clientAuth);
      // Its own user, bound by the API server's bootstrap RBAC policy, so RBAC is exercised as in real clusters.
      pki.issue(pki.controllerManagerCert, pki.controllerManagerKey, "CN=" + CONTROLLER_MANAGER_USER, caName, ca,
          null, KeyPurposeId.id_kp_clientAuth);
      pki.issue(pki.schedulerCert, pki.schedulerKey, "CN=" + SCHEDULER_USER, caName, ca, null,
          KeyPurposeId.id_kp_clientAuth);
      pki.issue(pki.kubeletCert, pki.kubeletKey, "O=system:nodes,CN=system:node:" + NODE_NAME, caName, ca, null,
          KeyPurposeId.id_kp_clientAuth);

      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048, RANDOM);
      KeyPair serviceAccounts = rsa.generateKeyPair();
      write(pki.serviceAccountKey, serviceAccounts.getPrivate());
      write(pki.serviceAccountPublicKey, serviceAccounts.getPublic());
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the cluster's certificates to " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not create the cluster's certificates", e);
    }
  }

  private void issue(Path cert, Path key, String subject, X500Name caName, KeyPair ca, GeneralNames sans,
      KeyPurposeId purpose) throws IOException, GeneralSecurityException, OperatorCreationException {
    KeyPair keys = ec();
    write(cert, sign(new X500Name(subject), keys, caName, ca, sans, purpose));
    writeEcKey(key, keys);
  }

  private static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** A CA certificate when {@code purpose} is null, else a leaf for that purpose. */
  private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
      GeneralNames sans, KeyPurposeId purpose) throws IOException, GeneralSecurityException,
      OperatorCreationException {
    boolean isCa = purpose == null;
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
        ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
        : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(Extension.subjectKeyIdentifier, false,
        extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
    if (!isCa) {
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (sans != null) builder.addExtension(Extension.subjectAlternativeName, false, sans);
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static void write(Path file, Object pemObject) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(pemObject);
    }
    Files.writeString(file, text.toString());
  }

  /**
   * A full SEC1 "EC PRIVATE KEY" (curve and public key included). The JDK's EC keys keep their
   * curve only in the PKCS#8 wrapper, so the plain conversion is unreadable; and PKCS#8 itself is
   * read as RSA by fabric8 when it loads a kubeconfig file.
   */
  private static void writeEcKey(Path file, KeyPair keys) throws IOException {
    ECPrivateKey key = (ECPrivateKey) keys.getPrivate();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
        key.getParams().getOrder().bitLength(), key.getS(), publicKey.getPublicKeyData(),
        info.getPrivateKeyAlgorithm().getParameters());
    write(file, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  static String read(Path pemFile) {
    try {
      return Files.readString(pemFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + pemFile, e);
    }
  }
}
