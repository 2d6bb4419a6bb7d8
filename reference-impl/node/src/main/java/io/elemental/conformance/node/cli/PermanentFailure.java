package io.elemental.conformance.node.cli;

/** A failure that retrying cannot fix (bad config, missing TPM): reported once, then exit. */
final class PermanentFailure extends Exception {
  PermanentFailure(String message) {
    super(message);
  }
}
