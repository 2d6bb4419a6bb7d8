package io.elemental.conformance.operator.seedimage;

import java.time.Instant;

/**
 * A finished build of one SeedImage, as kept next to its ISO: which inputs it was built from
 * (fingerprint), the file name served, its SHA-256, the download token, when it was built and
 * whether its lifetime ({@code cleanupAfterMinutes}) has already removed the ISO.
 */
record BuiltSeedImage(String fingerprint, String fileName, String sha256, String token, Instant builtAt,
    boolean expired) {

  BuiltSeedImage asExpired() {
    return new BuiltSeedImage(fingerprint, fileName, sha256, token, builtAt, true);
  }
}
