package io.elemental.conformance.harness.machine;

import io.elemental.conformance.fixtures.image.DockerEngine;
import io.elemental.conformance.fixtures.image.OciRegistry;
import io.elemental.conformance.fixtures.image.SimOsImageBuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The @sim tier's OS images by version, each built and pushed once per JVM (see
 * {@link SimOsImageBuild}). Docker and the registry start on the first request and stop with the JVM.
 */
public final class SimOsImages {
  private final Path workDir;
  private final Map<String, String> references = new HashMap<>();
  private SimOsImageBuild build;
  private OciRegistry registry;

  public SimOsImages(Path workDir) {
    this.workDir = workDir;
  }

  /** The registry reference of {@code version}, healthy or built to fail its health check. */
  public synchronized String reference(String version, boolean healthy) {
    return references.computeIfAbsent(SimOsImageBuild.tag(version, healthy),
        tag -> build().buildAndPush(version, healthy).reference());
  }

  /** An image in the registry that is not an OS image. */
  public synchronized String notAnOs() {
    return references.computeIfAbsent("not-an-os", tag -> build().buildAndPushNotAnOs("latest").reference());
  }

  /** An image in the same registry under a tag nobody pushed. */
  public synchronized String missing(String tag) {
    build();
    return registry.reference(SimOsImageBuild.REPOSITORY, tag);
  }

  /** An image on a loopback port where no registry listens: a registry that is down. */
  public static String onRegistryThatIsDown(String version) {
    try (ServerSocket socket = new ServerSocket(0)) {
      // The port was free a moment ago and nothing is started on it: connections are refused.
      return "127.0.0.1:" + socket.getLocalPort() + "/" + SimOsImageBuild.REPOSITORY + ":" + version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SimOsImageBuild build() {
    if (build == null) {
      DockerEngine docker = DockerEngine.connect(workDir);
      registry = OciRegistry.start(workDir);
      build = new SimOsImageBuild(docker, registry);
    }
    return build;
  }
}
