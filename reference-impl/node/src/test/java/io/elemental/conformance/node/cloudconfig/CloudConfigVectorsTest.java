package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cloud-config vectors of {@code src/test/resources/cloud-config-vectors} (the same ones
 * {@code scripts/compare-yip.sh} feeds the real yip), each run in a scratch root and checked
 * against its expected tree, account lines and console lines.
 */
class CloudConfigVectorsTest {
  @TempDir Path tmp;

  static Stream<String> vectors() throws IOException, URISyntaxException {
    Path dir = vectorsDir();
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  static Path vectorsDir() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(CloudConfigVectorsTest.class.getResource("/cloud-config-vectors")).toURI());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector(String name) throws Exception {
    Path vector = vectorsDir().resolve(name);
    ScratchSystem system = new ScratchSystem(tmp.resolve("root"));
    copyTree(vector.resolve("base"), system.root, false);
    copyTree(vector.resolve("append"), system.root, true);
    Files.copy(vector.resolve("input.yaml"), system.root.resolve("oem/90_" + name + ".yaml"));
    Path stagesFile = vector.resolve("stages");
    List<String> stages = Files.exists(stagesFile) ? List.of(Files.readString(stagesFile).strip().split("\\s+"))
        : List.of("boot");
    for (String stage : stages) system.run(stage);

    SoftAssertions soft = new SoftAssertions();
    Path expected = vector.resolve("expected");
    Path files = expected.resolve("files");
    if (Files.isDirectory(files)) {
      try (Stream<Path> walk = Files.walk(files)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          Path actual = system.root.resolve(files.relativize(file).toString());
          soft.assertThat(actual).as(name + ": " + files.relativize(file)).exists();
          if (Files.exists(actual)) {
            soft.assertThat(Files.readString(actual)).as(name + ": " + files.relativize(file))
                .isEqualTo(Files.readString(file));
          }
        }
      }
    }
    for (String line : lines(expected.resolve("modes"))) {
      String[] f = line.split("\\s+");
      soft.assertThat(system.root.resolve(f[0])).as(name + ": " + f[0]).exists();
      if (!Files.exists(system.root.resolve(f[0]))) continue;
      int mode = AtomicFiles.mode(Files.getPosixFilePermissions(system.root.resolve(f[0])));
      soft.assertThat(String.format("%04o", mode)).as(name + ": mode of " + f[0]).isEqualTo(f[1]);
      if (!f[2].equals("-")) soft.assertThat(system.owner(f[0])).as(name + ": owner of " + f[0]).isEqualTo(f[2]);
    }
    for (String account : List.of("passwd", "group")) {
      soft.assertThat(system.lines("etc/" + account)).as(name + ": etc/" + account)
          .containsAll(lines(expected.resolve(account)));
    }
    for (String line : lines(expected.resolve("shadow"))) {
      Pattern pattern = Pattern.compile(Pattern.quote(line).replace("DAYS", "\\E[0-9]+\\Q")
          .replace("HASH", "\\E\\$6\\$[^:]+\\Q"));
      soft.assertThat(system.lines("etc/shadow")).as(name + ": etc/shadow has " + line)
          .anyMatch(l -> pattern.matcher(l).matches());
    }
    for (String path : lines(expected.resolve("absent"))) {
      soft.assertThat(system.root.resolve(path)).as(name + ": " + path).doesNotExist();
    }
    for (String text : lines(expected.resolve("log"))) {
      soft.assertThat(system.output()).as(name + ": console").contains(text);
    }
    soft.assertAll();
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) return List.of();
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  private static void copyTree(Path from, Path to, boolean append) throws IOException {
    if (!Files.isDirectory(from)) return;
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (append) {
          Files.write(target, Files.readAllBytes(source), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
