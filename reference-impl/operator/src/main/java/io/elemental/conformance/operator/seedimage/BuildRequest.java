package io.elemental.conformance.operator.seedimage;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Everything a seed image is made of. Its {@link #fingerprint()} changes when any input does
 * (base image, registration config, cloud-config, type): a built ISO with another fingerprint
 * is out of date and is rebuilt.
 */
record BuildRequest(String seedImage, String uid, String baseImage, String type, String livecdConfig,
    Optional<String> cloudConfig, String fileName) {

  String fingerprint() {
    var sha256 = io.elemental.conformance.oci.Digests.sha256();
    for (String part : new String[] {baseImage, type, livecdConfig, cloudConfig.orElse("")}) {
      sha256.update(part.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
