package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.api.v1beta1.SeedImage;
import io.elemental.conformance.harness.support.Timeouts;
import io.elemental.conformance.harness.support.Waits;
import io.elemental.conformance.harness.vm.SeedIsoDownload;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The scenario's ScenarioSeedImages: waits for their builds, and downloads each ISO once (checked against
 * its published checksum) for the machines that boot it.
 */
public class ScenarioSeedImages {
  static final String READY = "SeedImageReady";

  private final ScenarioScope scope;
  private final Map<String, String> namespaces = new HashMap<>();
  private final Map<String, Path> downloaded = new HashMap<>();

  public ScenarioSeedImages(ScenarioScope scope) {
    this.scope = scope;
  }

  void created(String name, String namespace) {
    namespaces.put(name, namespace);
  }

  SeedImage get(String name) {
    String namespace = namespaces.get(name);
    if (namespace == null) throw new IllegalStateException("the scenario has no SeedImage named '" + name + "'");
    return scope.client().resources(SeedImage.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until the operator reports the ISO built and downloadable. */
  SeedImage awaitBuilt(String name) {
    return scope.waits().until("SeedImage " + name + " to be built (condition " + READY + ", a download URL)",
        Timeouts.SEED_IMAGE_BUILD, () -> get(name), image -> {
          if (image == null || image.getStatus() == null) return false;
          boolean failed = image.getStatus().conditions.stream().anyMatch(c -> READY.equals(c.getType())
              && "False".equals(c.getStatus()) && !"SeedImageBuildOngoing".equals(c.getReason()));
          if (failed) {
            // Abort ends the wait at once; waiting out the build timeout would only hide the cause.
            throw new Waits.Abort("SeedImage " + name + " failed to build: " + image.getStatus().conditions);
          }
          return image.getStatus().downloadURL != null && image.getStatus().conditions.stream()
              .anyMatch(c -> READY.equals(c.getType()) && "True".equals(c.getStatus()));
        });
  }

  /** What the SeedImage's checksum URL says the ISO's SHA-256 is. */
  String publishedChecksum(String name) {
    try {
      return new SeedIsoDownload(scope.environment().rancher().setting("cacerts"))
          .publishedChecksum(get(name).getStatus().checksumURL);
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read the checksum of " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The ISO on this host, downloaded on first use and verified against the checksum URL. */
  synchronized Path downloadedIso(String name) {
    Path iso = downloaded.get(name);
    if (iso != null) return iso;
    SeedImage image = awaitBuilt(name);
    SeedIsoDownload download = new SeedIsoDownload(scope.environment().rancher().setting("cacerts"));
    iso = scope.environment().settings().workDir().resolve("seed-isos").resolve(scope.slug())
        .resolve(name + ".iso");
    try {
      String actual = download.download(image.getStatus().downloadURL, iso);
      String published = download.publishedChecksum(image.getStatus().checksumURL);
      assertThat(actual).as("SHA-256 of the ISO downloaded from %s", image.getStatus().downloadURL)
          .isEqualTo(published);
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot download the seed image " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    downloaded.put(name, iso);
    return iso;
  }
}
