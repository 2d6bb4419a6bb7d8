package io.elemental.conformance.operator.seedimage;

import io.elemental.conformance.fixtures.image.OciRegistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times a seed image build from a real OS root: {@code -Dseedimage.rootfs=<dir>} (for example
 * a debootstrap'd root with /boot/vmlinuz-* and /boot/initrd.img-*). Off by default: it takes
 * minutes. The root goes in one layer, the /boot links in a second one, as an OS image would.
 */
@EnabledIfSystemProperty(named = "seedimage.rootfs", matches = ".+")
class SeedImageBuildTimingTest {
  @TempDir Path dir;

  @Test
  void buildsFromARealRoot() throws Exception {
    Path rootfs = Path.of(System.getProperty("seedimage.rootfs"));
    long begin = System.nanoTime();
    Path base = dir.resolve("base.tar.gz");
    sh("tar --create --gzip --numeric-owner --xattrs --ignore-failed-read --exclude=./boot/vmlinuz"
        + " --exclude=./boot/initrd --file " + base + " -C " + rootfs + " . || [ $? -eq 1 ]");
    Path boot = Files.createDirectories(dir.resolve("boot-layer/boot"));
    String kernel = sh("ls " + rootfs.resolve("boot") + " | grep '^vmlinuz-' | head -1");
    String initrd = sh("ls " + rootfs.resolve("boot") + " | grep '^initrd.img-' | head -1");
    Files.createSymbolicLink(boot.resolve("vmlinuz"), Path.of(kernel));
    if (initrd.isEmpty()) {
      Files.writeString(boot.resolve("initrd"), "no initrd in this root: the timing does not boot it");
    } else {
      Files.createSymbolicLink(boot.resolve("initrd"), Path.of(initrd));
    }
    Path top = dir.resolve("top.tar.gz");
    sh("tar --create --gzip --file " + top + " -C " + dir.resolve("boot-layer") + " boot/vmlinuz boot/initrd");
    System.out.printf("timing: layers made in %d ms (%d + %d bytes)%n", (System.nanoTime() - begin) / 1_000_000,
        Files.size(base), Files.size(top));

    try (OciRegistry registry = OciRegistry.start(dir.resolve("registry"), Files.createDirectories(dir.resolve("registry/storage")))) {
      begin = System.nanoTime();
      new ImagePusher(registry.host()).push("elemental/timing-os", "v1", List.of(base, top));
      System.out.printf("timing: pushed in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
      Path work = dir.resolve("work");
      SeedImageStore store = new SeedImageStore(work.resolve("seedimages"));
      SeedImageBuilder builder = new SeedImageBuilder(work, store);
      for (int i = 1; i <= 2; i++) {
        begin = System.nanoTime();
        BuiltSeedImage built = builder.build(new BuildRequest("timing/" + i, "uid-" + i,
            registry.host() + "/elemental/timing-os:v1", "iso", "elemental: {}\n", Optional.empty(), "t.iso"), "t");
        System.out.printf("timing: build %d in %d ms, ISO %d bytes%n", i, (System.nanoTime() - begin) / 1_000_000,
            Files.size(store.dir("uid-" + i).resolve(built.fileName())));
      }
    }
  }

  private static String sh(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
