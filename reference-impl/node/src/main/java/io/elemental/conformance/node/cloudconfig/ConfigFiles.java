package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files yip reads from one cloud-init path ({@code pkg/executor/default.go}, {@code dirOps}):
 * a file is read whatever its name; a directory is walked recursively in lexical order (byte
 * order of the names, sub-directories where they sort, symbolic links not followed into), taking
 * the files named {@code *.yaml} or {@code *.yml}. A path that does not exist gives nothing, as
 * elemental-toolkit filters it out.
 */
final class ConfigFiles {
  private ConfigFiles() {}

  static List<Path> under(Path source) throws IOException {
    if (Files.isRegularFile(source)) return List.of(source);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) walk(source, files);
    return files;
  }

  private static void walk(Path dir, List<Path> files) throws IOException {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = new ArrayList<>(list.toList());
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString().getBytes(StandardCharsets.UTF_8),
        Arrays::compareUnsigned));
    for (Path entry : entries) {
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        walk(entry, files);
      } else if (isYaml(entry.getFileName().toString())) {
        files.add(entry);
      }
    }
  }

  static boolean isYaml(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot);
    return ext.equals(".yaml") || ext.equals(".yml");
  }
}
