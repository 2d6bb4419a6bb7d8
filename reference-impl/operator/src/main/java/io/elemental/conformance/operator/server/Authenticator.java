package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.registration.ProtocolException;
import io.elemental.conformance.operator.inventory.MachineIdentity;

/**
 * Proves who a registering machine is, from its Authorization header and, for TPM, a
 * challenge exchanged on the connection before the typed messages start.
 */
interface Authenticator {

  MachineIdentity authenticate(MessageChannel channel) throws ProtocolException;

  /** The header could not be used at all: answered with HTTP 401 before the upgrade. */
  final class Unauthorized extends Exception {
    Unauthorized(String message) {
      super(message);
    }
  }
}
