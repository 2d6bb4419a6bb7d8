package io.elemental.conformance.harness.vm;

import io.elemental.conformance.fixtures.vm.GuestNetwork;
import io.elemental.conformance.node.register.ClientTls;
import io.elemental.conformance.node.register.RegistrationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a seed ISO the way a user does: from the SeedImage's download URL, over HTTPS trusting
 * Rancher's cacerts, checked against the published checksum. The URLs name the operator by its
 * address on the VM network; the harness reaches that address through the same loopback port the
 * VMs are forwarded to.
 */
public final class SeedIsoDownload {
  private final HttpClient http;

  public SeedIsoDownload(String caCertPem) {
    try {
      // The trust a machine with that ca-cert has: the register client's own.
      this.http = HttpClient.newBuilder().sslContext(ClientTls.trusting(caCertPem))
          .connectTimeout(Duration.ofSeconds(10)).build();
    } catch (RegistrationException e) {
      throw new IllegalStateException("Rancher's cacerts is not a usable PEM bundle: " + e.getMessage(), e);
    }
  }

  /** The checksum file's hex digest (its first word, as {@code sha256sum} writes it). */
  public String publishedChecksum(String checksumUrl) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(GuestNetwork.hostView(checksumUrl)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException("GET " + checksumUrl + " answered HTTP " + response.statusCode());
    }
    return response.body().strip().split("\\s+")[0];
  }

  /** Downloads to {@code target}; returns the SHA-256 of what arrived. */
  public String download(String downloadUrl, Path target) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(GuestNetwork.hostView(downloadUrl)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("GET " + downloadUrl + " answered HTTP " + response.statusCode());
    }
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try (DigestInputStream in = new DigestInputStream(response.body(), MessageDigest.getInstance("SHA-256"))) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
