package io.elemental.conformance.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void loopbackRegistryWithPortAndTagIsPlainHttp() {
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/elemental/reference-os:v1");
    assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(ref.repository()).isEqualTo("elemental/reference-os");
    assertThat(ref.manifestReference()).isEqualTo("v1");
    assertThat(ref.apiBase()).hasToString("http://127.0.0.1:5000/v2/elemental/reference-os/");
  }

  @Test
  void remoteRegistriesAreHttpsAndTagDefaultsToLatest() {
    ImageReference ref = ImageReference.parse("registry.suse.com/suse/sl-micro/6.0/baremetal-os-container");
    assertThat(ref.scheme()).isEqualTo("https");
    assertThat(ref.tag()).isEqualTo("latest");
    assertThat(ImageReference.parse("localhost:5000/os").scheme()).isEqualTo("http");
  }

  @Test
  void dockerHubShortNamesAndDigests() {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference ref = ImageReference.parse("debian@" + digest);
    assertThat(ref.registry()).isEqualTo("registry-1.docker.io");
    assertThat(ref.repository()).isEqualTo("library/debian");
    assertThat(ref.manifestReference()).isEqualTo(digest);
  }

  @Test
  void badReferencesSayWhy() {
    assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:5000/Upper/Case:v1"))
        .isInstanceOf(OciException.class).hasMessageContaining("invalid repository");
    assertThatThrownBy(() -> ImageReference.parse(" ")).hasMessageContaining("empty image reference");
  }
}
