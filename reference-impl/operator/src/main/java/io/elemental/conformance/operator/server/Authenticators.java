package io.elemental.conformance.operator.server;

/** Picks the authenticator for an Authorization header; TPM first, as the real server does. */
final class Authenticators {
  private Authenticators() {}

  static Authenticator forHeader(String header) throws Authenticator.Unauthorized {
    if (header == null || header.isBlank()) {
      throw new Authenticator.Unauthorized("missing Authorization header: registering needs"
          + " 'Bearer TPM<attestation>' or 'Bearer PLAIN<machine id>'");
    }
    if (header.startsWith(PlainAuthenticator.PREFIX)) {
      return PlainAuthenticator.fromHeader(header);
    }
    throw new Authenticator.Unauthorized("unrecognized authentication method: expected 'Bearer TPM...' or"
        + " 'Bearer PLAIN...'");
  }
}
