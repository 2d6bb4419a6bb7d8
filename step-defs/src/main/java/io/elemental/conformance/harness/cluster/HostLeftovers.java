package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.process.ShortCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node leaves on the host beyond its own processes: container shims (re-parented to init,
 * so they outlive containerd and the JVM) and the kubelet's and containerd's mounts.
 */
final class HostLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(HostLeftovers.class);

  private HostLeftovers() {}

  /**
   * Kills the shims serving containerd sockets that match {@code address} (one socket, or the prefix of
   * every run's) with their containers. A shim is re-parented to init, so it is found by its command line.
   */
  static int killShims(String address) {
    List<ProcessHandle> shims = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("containerd-shim") && c.contains("-address " + address))
            .orElse(false))
        .toList();
    for (ProcessHandle shim : shims) {
      shim.descendants().forEach(ProcessHandle::destroyForcibly);
      shim.destroyForcibly();
    }
    return shims.size();
  }

  /** Shims of earlier runs whose containerd no longer answers (its run ended badly): their pods are strays. */
  static void killOrphanedShims() {
    ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("containerd-shim") && c.contains("-address /tmp/ehn-"))
        .map(c -> c.replaceAll("^.*-address (/tmp/ehn-[^ ]+).*$", "$1"))
        .distinct()
        .filter(socket -> !answers(Path.of(socket)))
        .forEach(socket -> LOG.warn("killed {} container shims of an earlier run whose containerd ({}) is gone",
            killShims(socket), socket));
  }

  private static boolean answers(Path socket) {
    try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
        java.net.UnixDomainSocketAddress.of(socket))) {
      return channel.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** Deepest first, lazily: a mount still busy goes once its last user does. */
  static void unmountUnder(Path root) {
    try {
      String prefix = root.toAbsolutePath().toString() + "/";
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .map(line -> line.split(" ")[1].replace("\\040", " "))
          .filter(point -> point.startsWith(prefix) || (point + "/").equals(prefix))
          .sorted(Comparator.comparing(String::length).reversed())
          .toList();
      for (String point : mounts) {
        try {
          ShortCommand.run("umount " + point, List.of("umount", "--lazy", point), Duration.ofSeconds(20));
        } catch (RuntimeException e) {
          LOG.warn("could not unmount {}: {}", point, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("could not read /proc/self/mounts to unmount under {}: {}", root, e.getMessage());
    }
  }
}
