package io.elemental.conformance.operator.seedimage;

/** A seed image could not be built; the message becomes the SeedImageBuildFailure condition's, so it names cause and fix. */
public class SeedImageBuildException extends RuntimeException {
  public SeedImageBuildException(String message) {
    super(message);
  }

  public SeedImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
