package io.elemental.conformance.oci;

/** An image could not be pulled or unpacked; the message names the image, the cause and, where known, the fix. */
public class OciException extends RuntimeException {
  public OciException(String message) {
    super(message);
  }

  public OciException(String message, Throwable cause) {
    super(message, cause);
  }
}
