package io.elemental.conformance.attestation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The swtpm captures under src/test/resources/swtpm (see the README there). */
final class Fixtures {
  private Fixtures() {}

  static String text(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + resource)) {
      if (in == null) throw new IllegalStateException("missing test resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String swtpmHeader() {
    return text("swtpm/auth-header.txt").strip();
  }

  static AuthToken swtpmToken() throws AttestationException {
    return AuthToken.fromHeader(swtpmHeader());
  }

  static String localCaIssuer() {
    return text("swtpm/localca-issuer.pem");
  }

  static String localCaRoot() {
    return text("swtpm/localca-root.pem");
  }
}
