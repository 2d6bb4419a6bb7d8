package io.elemental.conformance.node.register;

import io.elemental.conformance.api.registration.ProtocolException;

/** How the machine proves who it is: the Authorization header, and for TPM the challenge answer. */
public interface ClientAuth {

  /** The value of the {@code auth} annotation: {@code tpm}, {@code emulated-tpm}, {@code mac}, {@code sys-uuid}. */
  String method();

  String authorizationHeader() throws RegistrationException;

  /** Runs before the typed messages start; only TPM has anything to say here. */
  default void answerChallenge(ClientChannel channel) throws ProtocolException, RegistrationException {}
}
