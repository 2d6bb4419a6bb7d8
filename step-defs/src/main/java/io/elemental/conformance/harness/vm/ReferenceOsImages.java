package io.elemental.conformance.harness.vm;

import io.elemental.conformance.fixtures.image.DockerEngine;
import io.elemental.conformance.fixtures.image.OciRegistry;
import io.elemental.conformance.fixtures.image.OsImage;
import io.elemental.conformance.fixtures.image.OsImageBuild;
import io.elemental.conformance.harness.config.HarnessSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS image per version (v1, v2...), each built and pushed once per JVM; docker's layer cache
 * and the registry's persistent storage make a warm run rebuild and re-upload nothing. Docker and
 * the registry start only when the first @vm scenario needs an image, and stop with the JVM.
 */
final class ReferenceOsImages {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceOsImages.class);

  private final Path workDir;
  private final Map<String, String> references = new HashMap<>();
  private OsImageBuild build;

  ReferenceOsImages(HarnessSettings settings) {
    this.workDir = settings.workDir().resolve("os-image");
  }

  synchronized String reference(String version) {
    return reference(version, true);
  }

  /** As above; unhealthy, built to fail its health check (never a user's ready image). */
  synchronized String reference(String version, boolean healthy) {
    return references.computeIfAbsent(OsImageBuild.tag(version, healthy), tag -> {
      // A user's ready image (-Delemental.os.image) needs neither Docker nor our registry.
      OsImage image = healthy ? OsImageBuild.readyImage(version).orElseGet(() -> build().buildAndPush(version))
          : build().buildAndPush(version, false);
      LOG.info("OS image {}: {}", tag, image.reference());
      return image.reference();
    });
  }

  private OsImageBuild build() {
    if (build == null) {
      DockerEngine docker = DockerEngine.connect(workDir);
      OciRegistry registry = OciRegistry.start(workDir);
      build = OsImageBuild.fromSystemProperties(docker, registry, workDir);
    }
    return build;
  }
}
