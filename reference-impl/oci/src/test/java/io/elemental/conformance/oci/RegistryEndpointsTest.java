package io.elemental.conformance.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryEndpointsTest {
  @AfterEach
  void clear() {
    System.clearProperty("elemental.registry.hosts");
    System.clearProperty("elemental.insecure.registries");
  }

  @Test
  void loopbackIsPlainHttpAndOthersAreHttps() {
    assertThat(ImageReference.parse("127.0.0.1:5000/os:v1").apiBase().toString())
        .isEqualTo("http://127.0.0.1:5000/v2/os/");
    assertThat(ImageReference.parse("registry.example/os:v1").scheme()).isEqualTo("https");
  }

  @Test
  void aMappedHostIsDialledAtItsMappingWithThePortKept() {
    System.setProperty("elemental.registry.hosts", "10.0.2.100=127.0.0.1");
    assertThat(ImageReference.parse("10.0.2.100:41213/elemental/os:v2").apiBase().toString())
        .isEqualTo("http://127.0.0.1:41213/v2/elemental/os/");
  }

  @Test
  void anInsecureRegistryIsPlainHttpByHostOrHostAndPort() {
    System.setProperty("elemental.insecure.registries", "10.0.2.100, mirror.lan:5000");
    assertThat(ImageReference.parse("10.0.2.100:41213/os:v2").scheme()).isEqualTo("http");
    assertThat(ImageReference.parse("mirror.lan:5000/os:v2").scheme()).isEqualTo("http");
    assertThat(ImageReference.parse("mirror.lan:5001/os:v2").scheme()).isEqualTo("https");
  }
}
