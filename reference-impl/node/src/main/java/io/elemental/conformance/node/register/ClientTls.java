package io.elemental.conformance.node.register;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Trust for the registration endpoint: the system's CAs, or the registration's {@code ca-cert}. */
public final class ClientTls {
  private ClientTls() {}

  private static final java.util.Map<String, SSLContext> BY_PEM = new java.util.concurrent.ConcurrentHashMap<>();

  /** The same ca-cert gives the same context (so TLS sessions and HTTP clients are shared). */
  public static SSLContext trusting(String caCertPem) throws RegistrationException {
    if (caCertPem == null || caCertPem.isBlank()) return build(caCertPem);
    SSLContext cached = BY_PEM.get(caCertPem);
    if (cached != null) return cached;
    SSLContext built = build(caCertPem);
    BY_PEM.put(caCertPem, built);
    return built;
  }

  private static SSLContext build(String caCertPem) throws RegistrationException {
    try {
      if (caCertPem == null || caCertPem.isBlank()) {
        return SSLContext.getDefault();
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(caCertPem.getBytes(StandardCharsets.UTF_8)))) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) throw new RegistrationException("ca-cert holds no PEM certificate");
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new RegistrationException("ca-cert cannot be used: " + e.getMessage(), e);
    }
  }
}
