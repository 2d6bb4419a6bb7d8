package io.elemental.conformance.fakerancher;

/** A request head the ingress cannot route: it answers 400 Bad Request with this message. */
final class MalformedRequestHeadException extends Exception {
  MalformedRequestHeadException(String message) {
    super(message);
  }
}
