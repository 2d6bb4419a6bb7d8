package io.elemental.conformance.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers made with GNU tar in the test, applied one on top of the other as a runtime would. */
class LayerUnpackerTest {
  @TempDir Path dir;
  Path root;

  @BeforeEach
  void setUp() {
    root = dir.resolve("root");
  }

  @Test
  void appliesWhiteoutsOpaqueDirectoriesAndKeepsLinksModesAndOwners() throws Exception {
    Path lower = staging("lower");
    write(lower, "etc/hostname", "lower\n");
    write(lower, "etc/secret", "s\n");
    sh("chown 1234:5678 " + lower.resolve("etc/secret") + " && chmod 0640 " + lower.resolve("etc/secret"));
    write(lower, "etc/sub/x", "x");
    write(lower, "opt/keep/k1", "1");
    write(lower, "opt/keep/k2", "2");
    write(lower, "usr/bin/tool", "#!/bin/sh\n");
    sh("chmod 4755 " + lower.resolve("usr/bin/tool"));
    Files.createSymbolicLink(lower.resolve("usr/bin/alias"), Path.of("tool"));
    Files.createLink(lower.resolve("usr/bin/hard"), lower.resolve("usr/bin/tool"));
    Files.createDirectories(lower.resolve("dev"));
    sh("mknod " + lower.resolve("dev/null") + " c 1 3 && mkfifo " + lower.resolve("dev/fifo"));
    Files.createSymbolicLink(lower.resolve("lib"), Path.of("usr/lib"));
    write(lower, "usr/lib/libc.so", "libc");

    Path upper = staging("upper");
    write(upper, "etc/.wh.secret", "");
    write(upper, "opt/keep/.wh..wh..opq", "");
    write(upper, "opt/keep/k3", "3");
    write(upper, "etc/sub", "now a file");
    write(upper, "lib/libextra.so", "through a relative link");
    write(upper, "usr/bin/.wh.alias", "");

    LayerUnpacker.apply(layer(lower, "lower.tar.gz", "--gzip"), root, "lower");
    // Listed members only: like a layer diff, it has no "lib/" entry, so lib/ is reached through the link.
    LayerUnpacker.apply(members(upper, "upper.tar", "etc/.wh.secret opt/keep/.wh..wh..opq opt/keep/k3 etc/sub"
        + " lib/libextra.so usr/bin/.wh.alias"), root, "upper");

    assertThat(root.resolve("etc/hostname")).hasContent("lower");
    assertThat(root.resolve("etc/secret")).doesNotExist();
    assertThat(root.resolve("etc/sub")).isRegularFile().hasContent("now a file");
    assertThat(list(root.resolve("opt/keep"))).containsExactly("k3");
    assertThat(root.resolve("usr/bin/alias")).doesNotExist();
    assertThat(Files.getAttribute(root.resolve("usr/bin/hard"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"));
    assertThat((int) Files.getAttribute(root.resolve("usr/bin/tool"), "unix:mode") & 07777).isEqualTo(04755);
    assertThat(Files.readSymbolicLink(root.resolve("lib"))).isEqualTo(Path.of("usr/lib"));
    assertThat(root.resolve("usr/lib/libextra.so")).hasContent("through a relative link");
    assertThat(sh("stat -c %F:%t:%T " + root.resolve("dev/null"))).isEqualTo("character special file:1:3");
    assertThat(sh("stat -c %F " + root.resolve("dev/fifo"))).isEqualTo("fifo");
    try (var all = Files.walk(root)) {
      assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
    }
  }

  @Test
  void keepsNumericOwnerAndMode() throws Exception {
    Path lower = staging("owned");
    write(lower, "etc/shadow", "root::\n");
    sh("chown 0:42 " + lower.resolve("etc/shadow") + " && chmod 0640 " + lower.resolve("etc/shadow"));
    write(lower, "home/u/file", "u");
    sh("chown -R 4321:4321 " + lower.resolve("home/u"));

    LayerUnpacker.apply(layer(lower, "owned.tar.gz", "--gzip"), root, "owned");

    assertThat(sh("stat -c %u:%g:%a " + root.resolve("etc/shadow"))).isEqualTo("0:42:640");
    assertThat(sh("stat -c %u:%g " + root.resolve("home/u/file"))).isEqualTo("4321:4321");
  }

  @Test
  void directoryReplacesASymlinkFromALowerLayer() throws Exception {
    Path lower = staging("lower");
    write(lower, "usr/share/doc/readme", "r");
    Files.createSymbolicLink(lower.resolve("docs"), Path.of("usr/share/doc"));
    Path upper = staging("upper");
    write(upper, "docs/own", "own");

    LayerUnpacker.apply(layer(lower, "l.tar", ""), root, "lower");
    LayerUnpacker.apply(layer(upper, "u.tar", ""), root, "upper");

    assertThat(root.resolve("docs")).isDirectory();
    assertThat(Files.isSymbolicLink(root.resolve("docs"))).isFalse();
    assertThat(list(root.resolve("docs"))).containsExactly("own");
    assertThat(root.resolve("usr/share/doc/readme")).exists();
  }

  @Test
  void refusesToWriteThroughAnAbsoluteSymlinkLeavingTheRoot() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("host"));
    Path lower = staging("lower");
    Files.createSymbolicLink(lower.resolve("lib"), outside.toAbsolutePath());
    Path upper = staging("upper");
    write(upper, "lib/evil.so", "evil");

    LayerUnpacker.apply(layer(lower, "l.tar", ""), root, "lower");
    Path evil = members(upper, "u.tar", "lib/evil.so");
    assertThatThrownBy(() -> LayerUnpacker.apply(evil, root, "upper"))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("/lib/evil.so")
        .hasMessageContaining("leaving the image root");
    assertThat(list(outside)).isEmpty();
  }

  /** The first layer is unpacked without an index pass; GNU tar alone must keep its members inside the root. */
  @Test
  void aFirstLayerCannotWriteThroughItsOwnLinkLeavingTheRoot() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("host"));
    Path links = staging("links");
    Files.createSymbolicLink(links.resolve("lib"), outside.toAbsolutePath());
    Path files = staging("files");
    write(files, "lib/evil.so", "evil");
    Path tar = dir.resolve("one.tar");
    sh("tar --create --file " + tar + " -C " + links + " lib -C " + files + " lib/evil.so");

    try {
      LayerUnpacker.apply(tar, root, "first");
    } catch (OciException e) {
      assertThat(e).hasMessageContaining("tar failed"); // refusing is as good as not following the link
    }
    assertThat(list(outside)).isEmpty();
  }

  @Test
  void indexReadsLongNamesInGnuAndPaxFormats() throws Exception {
    String longName = "d/" + "x".repeat(120) + "/" + "y".repeat(110);
    Path staging = staging("long");
    write(staging, longName, "deep");
    for (String format : List.of("gnu", "pax")) {
      Path tar = dir.resolve("long-" + format + ".tar");
      sh("tar --create --format=" + format + " --file " + tar + " -C " + staging + " .");
      assertThat(TarIndex.list(tar)).extracting(TarEntry::path).contains(longName, "d");
    }
  }

  @Test
  void refusesMembersClimbingOutOfTheRoot() {
    assertThatThrownBy(() -> TarIndex.normalise("../etc/passwd")).isInstanceOf(OciException.class);
    assertThat(TarIndex.normalise("./usr/bin/")).isEqualTo("usr/bin");
    assertThat(TarIndex.normalise("./")).isEmpty();
  }

  private Path staging(String name) throws IOException {
    return Files.createDirectories(dir.resolve("staging-" + name));
  }

  private static void write(Path base, String relative, String content) throws IOException {
    Path file = base.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private Path layer(Path staging, String name, String compression) throws Exception {
    Path tar = dir.resolve(name);
    sh("tar --create " + compression + " --numeric-owner --xattrs --file " + tar + " -C " + staging + " .");
    return tar;
  }

  /** A layer of just these members, no parent directory entries: as a diff of a change below a symlink is. */
  private Path members(Path staging, String name, String members) throws Exception {
    Path tar = dir.resolve(name);
    sh("tar --create --numeric-owner --file " + tar + " -C " + staging + " " + members);
    return tar;
  }

  private static List<String> list(Path dir) throws IOException {
    try (var children = Files.list(dir)) {
      return new ArrayList<>(children.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static String sh(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
