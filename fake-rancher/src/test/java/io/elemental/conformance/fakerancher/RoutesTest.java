package io.elemental.conformance.fakerancher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final Backend operator = Backend.http(URI.create("http://127.0.0.1:8000"));
  private final Backend images = Backend.http(URI.create("http://127.0.0.1:8001"));
  private final Backend local = Backend.http(URI.create("http://127.0.0.1:8002"));

  @Test
  void theLongestMatchingPrefixWinsAndEverythingElseFallsBack() {
    Routes routes = new Routes();
    routes.put("/elemental/", operator);
    routes.put("/elemental/seedimage/", images);

    assertThat(routes.backendFor("/elemental/registration/t")).containsSame(operator);
    assertThat(routes.backendFor("/elemental/seedimage/x.iso")).containsSame(images);
    assertThat(routes.backendFor("/k8s/clusters/local/api")).isEmpty();
    routes.fallback(local);
    assertThat(routes.backendFor("/k8s/clusters/local/api")).containsSame(local);
    assertThat(routes.backendFor("/elemental")).containsSame(local);
  }
}
