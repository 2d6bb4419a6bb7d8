package io.elemental.conformance.operator.server;

import io.elemental.conformance.attestation.EkTrustBundle;
import java.util.Optional;
import java.util.function.Supplier;

/** Picks the authenticator for an Authorization header; TPM first, as the real server does. */
final class Authenticators {
  private Authenticators() {}

  /** {@code ekTrust}: the registration namespace's {@code tpm-ca}, read only for TPM headers. */
  static Authenticator forHeader(String header, Supplier<Optional<EkTrustBundle>> ekTrust)
      throws Authenticator.Unauthorized {
    if (header == null || header.isBlank()) {
      throw new Authenticator.Unauthorized("missing Authorization header: registering needs"
          + " 'Bearer TPM<attestation>' or 'Bearer PLAIN<machine id>'");
    }
    if (header.startsWith(TpmAuthenticator.PREFIX)) {
      return TpmAuthenticator.fromHeader(header, ekTrust.get());
    }
    if (header.startsWith(PlainAuthenticator.PREFIX)) {
      return PlainAuthenticator.fromHeader(header);
    }
    throw new Authenticator.Unauthorized("unrecognized authentication method: expected 'Bearer TPM...' or"
        + " 'Bearer PLAIN...'");
  }
}
