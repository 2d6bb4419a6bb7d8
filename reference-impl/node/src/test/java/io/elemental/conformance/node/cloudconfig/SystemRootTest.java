package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Paths of a cloud-config resolve under the root, mounts first, and never leave it. */
class SystemRootTest {
  private final SystemRoot root = SystemRoot.at(Path.of("/scratch/tree")).withMount("/oem", Path.of("/disk/oem"));

  @Test
  void resolvesUnderTheRootAndItsMounts() {
    assertThat(root.resolve("/etc/passwd")).isEqualTo(Path.of("/scratch/tree/etc/passwd"));
    assertThat(root.resolve("/oem/90.yaml")).isEqualTo(Path.of("/disk/oem/90.yaml"));
    assertThat(root.resolve("/oem")).isEqualTo(Path.of("/disk/oem"));
    assertThat(root.resolve("/oemx/a")).isEqualTo(Path.of("/scratch/tree/oemx/a"));
    assertThat(root.resolve("/../../etc/shadow")).isEqualTo(Path.of("/scratch/tree/etc/shadow"));
    assertThat(root.resolve("relative/file")).isEqualTo(Path.of("/scratch/tree/relative/file"));
    assertThat(root.live()).isFalse();
    assertThat(SystemRoot.LIVE.live()).isTrue();
    assertThat(SystemRoot.LIVE.resolve("/etc/hosts")).isEqualTo(Path.of("/etc/hosts"));
  }

  @Test
  void namesFilesAsTheSystemSeesThem() {
    assertThat(root.logical(Path.of("/disk/oem/90.yaml"))).isEqualTo("/oem/90.yaml");
    assertThat(root.logical(Path.of("/scratch/tree/system/oem/01.yaml"))).isEqualTo("/system/oem/01.yaml");
    assertThat(root.logical(Path.of("/elsewhere/x.yaml"))).isEqualTo("/elsewhere/x.yaml");
  }
}
