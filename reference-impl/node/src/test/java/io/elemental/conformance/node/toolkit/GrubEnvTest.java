package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grubenv is GRUB's own format: grub-editenv reads what we write, and we read what it writes. */
class GrubEnvTest {
  @TempDir Path tmp;

  @Test
  void grubEditenvReadsWhatWeWrite() throws Exception {
    assumeThat(Path.of("/usr/bin/grub-editenv")).as("grub-editenv (grub-common)").exists();
    Path file = tmp.resolve("grubenv");
    GrubEnv.read(file).set("next_entry", "recovery").set("passive_snaps", "3 2").write();
    assertThat(Files.size(file)).isEqualTo(1024);
    Process list = new ProcessBuilder("grub-editenv", file.toString(), "list").redirectErrorStream(true).start();
    String output = new String(list.getInputStream().readAllBytes());
    assertThat(list.waitFor()).isZero();
    assertThat(output.lines()).containsExactly("next_entry=recovery", "passive_snaps=3 2");
  }

  @Test
  void weReadWhatGrubEditenvWrites() throws Exception {
    assumeThat(Path.of("/usr/bin/grub-editenv")).as("grub-editenv (grub-common)").exists();
    Path file = tmp.resolve("grubenv");
    Process create = new ProcessBuilder("grub-editenv", file.toString(), "set", "saved_entry=passive2",
        "boot_assessment_check=yes").start();
    assertThat(create.waitFor()).isZero();
    GrubEnv env = GrubEnv.read(file);
    assertThat(env.get("saved_entry")).isEqualTo("passive2");
    assertThat(env.get("boot_assessment_check")).isEqualTo("yes");
    env.unset("saved_entry").write();
    assertThat(GrubEnv.read(file).values()).containsOnlyKeys("boot_assessment_check");
  }
}
