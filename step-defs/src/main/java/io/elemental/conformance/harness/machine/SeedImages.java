package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.register.ClientTls;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What goes into a seed image for the @sim tier: the YAML a plain GET of the registration URL
 * returns (the real SeedImage controller embeds the same).
 */
public final class SeedImages {
  private SeedImages() {}

  /** GETs {@code url} (from this host, also when it names the VM network's address), trusting {@code caPem} as a machine with that ca-cert would; returns status and body. */
  public static HttpResponse<String> get(String url, String caPem) {
    try {
      HttpClient client = HttpClient.newBuilder().sslContext(ClientTls.trusting(caPem))
          .connectTimeout(Duration.ofSeconds(10)).build();
      return client.send(HttpRequest.newBuilder(GuestNetwork.hostView(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed: " + e.getMessage(), e);
    }
  }
}
