package io.elemental.conformance.oci;

/** An OCI content descriptor: what a manifest says about a blob (or an index about a manifest). */
public record Descriptor(String mediaType, String digest, long size, String os, String architecture) {
  public Descriptor(String mediaType, String digest, long size) {
    this(mediaType, digest, size, null, null);
  }

  /** The hex part of {@code sha256:<hex>}: a safe file name. */
  public String hex() {
    return Digests.hex(digest);
  }
}
