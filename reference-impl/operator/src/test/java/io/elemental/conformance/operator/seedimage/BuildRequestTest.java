package io.elemental.conformance.operator.seedimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildRequestTest {
  private static BuildRequest request(String image, String livecd, Optional<String> cloud, String file) {
    return new BuildRequest("ns/seed", "uid", image, "iso", livecd, cloud, file);
  }

  @Test
  void anyInputChangesTheFingerprintButNotTheFileName() {
    BuildRequest base = request("r/os:v1", "elemental: {}", Optional.empty(), "a.iso");
    assertThat(request("r/os:v1", "elemental: {}", Optional.empty(), "b.iso").fingerprint()).isEqualTo(base.fingerprint());
    assertThat(request("r/os:v2", "elemental: {}", Optional.empty(), "a.iso").fingerprint()).isNotEqualTo(base.fingerprint());
    assertThat(request("r/os:v1", "elemental: {x: 1}", Optional.empty(), "a.iso").fingerprint())
        .isNotEqualTo(base.fingerprint());
    assertThat(request("r/os:v1", "elemental: {}", Optional.of("#cloud-config"), "a.iso").fingerprint())
        .isNotEqualTo(base.fingerprint());
  }
}
