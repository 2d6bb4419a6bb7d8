package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileApplierTest {
  @TempDir
  Path root;

  FileApplier applier;

  @BeforeEach
  void setUp() {
    applier = new FileApplier(root);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Plan.PlanFile file(String path, String content, String permissions) {
    return new Plan.PlanFile(path, content == null ? null : b64(content), permissions, false, null, null, null);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void assumePosix() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void writesDecodedContentUnderTheRootMakingParents() throws IOException {
    applier.apply(List.of(file("/var/lib/rancher/bootstrap.sh", "#!/bin/sh\necho hi\n", "0700")));

    Path written = root.resolve("var/lib/rancher/bootstrap.sh");
    assertThat(written).hasContent("#!/bin/sh\necho hi\n");
    assumePosix();
    assertThat(mode(written)).isEqualTo("rwx------");
    assertThat(mode(root.resolve("var/lib/rancher"))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void filesDefaultTo0600AndModesAreOctal() throws IOException {
    assumePosix();
    applier.apply(List.of(file("/a", "x", null), file("/b", "x", ""), file("/c", "x", "644"), file("/d", "x", "0440")));
    assertThat(mode(root.resolve("a"))).isEqualTo("rw-------");
    assertThat(mode(root.resolve("b"))).isEqualTo("rw-------");
    assertThat(mode(root.resolve("c"))).isEqualTo("rw-r--r--");
    assertThat(mode(root.resolve("d"))).isEqualTo("r--r-----");
  }

  @Test
  void rewritesChangedContentAndResetsTheModeOfUnchangedContent() throws IOException {
    applier.apply(file("/etc/f", "one", "0644"));
    applier.apply(file("/etc/f", "two", "0644"));
    assertThat(root.resolve("etc/f")).hasContent("two");
    assumePosix();
    Files.setPosixFilePermissions(root.resolve("etc/f"), PosixFilePermissions.fromString("rwxrwxrwx"));
    applier.apply(file("/etc/f", "two", "0644"));
    assertThat(mode(root.resolve("etc/f"))).isEqualTo("rw-r--r--");
  }

  @Test
  void emptyContentMakesAnEmptyFile() throws IOException {
    applier.apply(new Plan.PlanFile("/empty", null, null, false, null, null, null));
    assertThat(root.resolve("empty")).isEmptyFile();
  }

  @Test
  void directoriesDefaultTo0755() throws IOException {
    applier.apply(List.of(
        new Plan.PlanFile("/etc/rancher/rke2/config.yaml.d", null, null, true, null, null, null),
        new Plan.PlanFile("/secret", null, "0700", true, null, null, null)));
    assertThat(root.resolve("etc/rancher/rke2/config.yaml.d")).isDirectory();
    applier.apply(new Plan.PlanFile("/secret", null, "0700", true, null, null, null)); // again: no error
    assumePosix();
    assertThat(mode(root.resolve("etc/rancher/rke2/config.yaml.d"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve("secret"))).isEqualTo("rwx------");
  }

  @Test
  void deleteRemovesFilesAndDirectoriesAndToleratesMissingOnes() throws IOException {
    applier.apply(List.of(file("/gone", "x", null), file("/tree/a/b", "x", null)));
    applier.apply(List.of(
        new Plan.PlanFile("/gone", null, null, false, "delete", null, null),
        new Plan.PlanFile("/tree", null, null, true, "delete", null, null),
        new Plan.PlanFile("/never-existed", null, null, false, "delete", null, null)));
    assertThat(root.resolve("gone")).doesNotExist();
    assertThat(root.resolve("tree")).doesNotExist();
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void refusesPathsOutsideTheRoot() {
    assertThatThrownBy(() -> applier.apply(file("/../escape", "x", null)))
        .isInstanceOf(IOException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> applier.apply(file("/", "x", null))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> applier.apply(file("", "x", null))).isInstanceOf(IOException.class);
  }

  @Test
  void badContentOrModeFailsWithoutTouchingTheFile() throws IOException {
    applier.apply(file("/f", "old", null));
    assertThatThrownBy(() -> applier.apply(new Plan.PlanFile("/f", "%%%", null, false, null, null, null)))
        .isInstanceOf(IOException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> applier.apply(file("/f", "new", "0999")))
        .isInstanceOf(IOException.class).hasMessageContaining("octal");
    assertThat(root.resolve("f")).hasContent("old");
  }

  @Test
  void stopsAtTheFirstFileThatFails() {
    assertThatThrownBy(() -> applier.apply(List.of(
        file("/first", "1", null), file("/second", "2", "rw"), file("/third", "3", null))))
        .isInstanceOf(IOException.class);
    assertThat(root.resolve("first")).exists();
    assertThat(root.resolve("third")).doesNotExist();
  }

  @Test
  void aWriteThatFailsHalfWayLeavesTheOldFileWholeAndNoTemporaryFile() throws IOException {
    applier.apply(file("/etc/conf", "old content", null));
    FileApplier failing = new FileApplier(root, (path, content) -> {
      Files.write(path, Arrays.copyOf(content, content.length / 2));
      throw new IOException("disk full");
    });

    assertThatThrownBy(() -> failing.apply(file("/etc/conf", "new content that is longer", null)))
        .isInstanceOf(IOException.class).hasMessageContaining("disk full");

    assertThat(root.resolve("etc/conf")).hasContent("old content");
    try (Stream<Path> left = Files.list(root.resolve("etc"))) {
      assertThat(left).containsExactly(root.resolve("etc/conf"));
    }
  }
}
