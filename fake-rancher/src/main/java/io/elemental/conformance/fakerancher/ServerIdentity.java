package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A server's TLS identity: its private key and its certificate chain (its own first, the CA's last). */
public final class ServerIdentity {
  private static final char[] PASSWORD = "fake-rancher".toCharArray();

  private final PrivateKey key;
  private final List<X509Certificate> chain;

  ServerIdentity(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The server's own certificate, PEM. */
  public String certificatePem() {
    return CertificateAuthority.pem(certificate());
  }

  /** A PKCS#12 store holding the key under alias {@code server}, protected by {@link #keyStorePassword()}. */
  public KeyStore keyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, PASSWORD, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not put the server key in a key store: " + e.getMessage(), e);
    }
  }

  public String keyStorePassword() {
    return new String(PASSWORD);
  }

  /** A TLS context that presents this identity (server side). */
  public SSLContext sslContext() {
    try {
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore(), PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make a TLS context for the server key: " + e.getMessage(), e);
    }
  }
}
