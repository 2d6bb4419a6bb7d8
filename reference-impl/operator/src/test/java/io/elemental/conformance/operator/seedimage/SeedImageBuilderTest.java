package io.elemental.conformance.operator.seedimage;

import io.elemental.conformance.fixtures.image.OciRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny two-layer OS image pushed to a real registry (Debian's docker-registry) through the
 * distribution API, then built into a seed ISO: the ISO's files, GRUB config and registration
 * config are read back with xorriso, the live root with unsquashfs.
 */
class SeedImageBuilderTest {
  private static final String LIVECD = """
      elemental:
        registration:
          url: https://rancher.test/elemental/registration/token
      cloud-config:
        users:
        - name: root
      """;

  @TempDir static Path dir;
  static OciRegistry registry;
  static String image;
  static String bootless;

  @BeforeAll
  static void pushImages() throws Exception {
    registry = OciRegistry.start(dir.resolve("registry"), Files.createDirectories(dir.resolve("registry/storage")));
    Path lower = Files.createDirectories(dir.resolve("lower"));
    write(lower, "boot/vmlinuz-6.1.0-test", "fake kernel");
    write(lower, "boot/initrd.img-6.1.0-test", "fake initrd");
    Files.createSymbolicLink(lower.resolve("boot/vmlinuz"), Path.of("vmlinuz-6.1.0-test"));
    // Absolute, as Debian's kernel hooks make them: must resolve inside the image, not on the host.
    Files.createSymbolicLink(lower.resolve("boot/initrd"), Path.of("/boot/initrd.img-6.1.0-test"));
    write(lower, "etc/os-release", "NAME=\"Elemental reference\"\n");
    write(lower, "etc/obsolete.conf", "gone in v2\n");
    Path upper = Files.createDirectories(dir.resolve("upper"));
    write(upper, "etc/.wh.obsolete.conf", "");
    write(upper, "etc/hostname", "elemental\n");
    ImagePusher pusher = new ImagePusher(registry.host());
    pusher.push("elemental/reference-os", "v1", List.of(layer(lower, "lower.tar.gz", "."),
        layer(upper, "upper.tar.gz", "etc/.wh.obsolete.conf etc/hostname")));
    image = registry.host() + "/elemental/reference-os:v1";

    Path plain = Files.createDirectories(dir.resolve("plain"));
    write(plain, "etc/os-release", "NAME=\"not elemental\"\n");
    pusher.push("library/plain", "latest", List.of(layer(plain, "plain.tar.gz", ".")));
    bootless = registry.host() + "/library/plain";
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) registry.close();
  }

  @Test
  void buildsABootableIsoCarryingTheRegistrationConfig() throws Exception {
    Path work = dir.resolve("work-iso");
    SeedImageStore store = new SeedImageStore(work.resolve("seedimages"));
    SeedImageBuilder builder = new SeedImageBuilder(work, store);
    BuildRequest request = new BuildRequest("fleet-default/seed", "uid-1", image, "iso", LIVECD,
        Optional.of("#cloud-config\nusers:\n- name: root\n"), "fire-2026-01-01T00:00:00Z.iso");

    long begin = System.nanoTime();
    BuiltSeedImage built = builder.build(request, "tok");
    long first = System.nanoTime() - begin;

    Path iso = store.dir("uid-1").resolve(built.fileName());
    assertThat(iso).isRegularFile();
    assertThat(store.dir("uid-1").resolve(built.fileName() + ".sha256"))
        .hasContent(built.sha256() + "  " + built.fileName());
    assertThat(built.sha256()).isEqualTo(sh("sha256sum " + iso).split(" ")[0]);
    assertThat(sh("xorriso -indev " + iso + " -find / -type f 2>/dev/null").lines().map(l -> l.replace("'", "")))
        .contains("/LiveOS/squashfs.img", "/boot/vmlinuz", "/boot/initrd", "/boot/grub/grub.cfg",
            "/livecd-cloud-config.yaml", "/iso-config/cloud-config.yaml", "/efi.img");
    assertThat(sh("xorriso -indev " + iso + " -pvd_info 2>&1")).contains("Volume Id    : COS_LIVE");
    assertThat(extract(iso, "/livecd-cloud-config.yaml")).isEqualTo(LIVECD);
    assertThat(extract(iso, "/iso-config/cloud-config.yaml")).startsWith("#cloud-config");
    assertThat(extract(iso, "/boot/vmlinuz")).isEqualTo("fake kernel");
    assertThat(extract(iso, "/boot/initrd")).isEqualTo("fake initrd");
    assertThat(extract(iso, "/boot/grub/grub.cfg"))
        .contains("set timeout=0", "serial --unit=0 --speed=115200", "terminal_output serial console",
            "linux /boot/vmlinuz root=live:CDLABEL=COS_LIVE rd.live.image rd.live.overlay.overlayfs=1"
                + " console=tty1 console=ttyS0,115200", "initrd /boot/initrd");

    Path squashfs = dir.resolve("squashfs.img");
    sh("xorriso -osirrox on -indev " + iso + " -extract /LiveOS/squashfs.img " + squashfs + " 2>/dev/null");
    String root = sh("unsquashfs -l " + squashfs);
    assertThat(root).contains("squashfs-root/etc/hostname", "squashfs-root/etc/os-release",
        "squashfs-root/boot/vmlinuz-6.1.0-test").doesNotContain("obsolete", ".wh.");
    assertThat(store.servedFile("uid-1", built.fileName())).contains(iso);
    assertThat(store.servedFile("uid-1", "other.iso")).isEmpty();

    // Same image again: the live image comes from the cache, only the ISO is assembled.
    begin = System.nanoTime();
    BuiltSeedImage again = builder.build(new BuildRequest("fleet-default/seed2", "uid-2", image, "iso", LIVECD,
        Optional.empty(), "fire-2.iso"), "tok2");
    long second = System.nanoTime() - begin;
    assertThat(store.dir("uid-2").resolve(again.fileName())).isRegularFile();
    assertThat(sh("xorriso -indev " + store.dir("uid-2").resolve(again.fileName()) + " -find / -type f 2>/dev/null"))
        .doesNotContain("iso-config");
    System.out.printf("seed image: first build %d ms, cached live image %d ms%n", first / 1_000_000, second / 1_000_000);

    store.expire("uid-1", built);
    assertThat(iso).doesNotExist();
    assertThat(store.built("uid-1")).get().extracting(BuiltSeedImage::expired).isEqualTo(true);
    assertThat(store.servedFile("uid-1", built.fileName())).isEmpty();
  }

  @Test
  void anImageWithoutKernelIsNotAnElementalOsImage() {
    Path work = dir.resolve("work-bootless");
    SeedImageBuilder builder = new SeedImageBuilder(work, new SeedImageStore(work.resolve("seedimages")));
    assertThatThrownBy(() -> builder.build(new BuildRequest("ns/x", "uid-3", bootless, "iso", LIVECD, Optional.empty(),
        "x.iso"), "t"))
        .isInstanceOf(SeedImageBuildException.class)
        .hasMessageContaining(bootless + " is not an Elemental OS image: no /boot/vmlinuz");
  }

  @Test
  void aMissingImageSaysSo() {
    Path work = dir.resolve("work-missing");
    SeedImageBuilder builder = new SeedImageBuilder(work, new SeedImageStore(work.resolve("seedimages")));
    assertThatThrownBy(() -> builder.build(new BuildRequest("ns/x", "uid-4", registry.host() + "/nope/os:v9", "iso",
        LIVECD, Optional.empty(), "x.iso"), "t"))
        .isInstanceOf(SeedImageBuildException.class)
        .hasMessageContaining("failed to pull " + registry.host() + "/nope/os:v9")
        .hasMessageContaining("not found");
  }

  private static String extract(Path iso, String path) throws Exception {
    Path out = Files.createTempFile(dir, "extract", ".out");
    Files.delete(out);
    sh("xorriso -osirrox on -indev " + iso + " -extract " + path + " " + out + " 2>/dev/null");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static void write(Path base, String relative, String content) throws IOException {
    Path file = base.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static Path layer(Path staging, String name, String members) throws Exception {
    Path tar = dir.resolve(name);
    sh("tar --create --gzip --numeric-owner --file " + tar + " -C " + staging + " " + members);
    return tar;
  }

  private static String sh(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
