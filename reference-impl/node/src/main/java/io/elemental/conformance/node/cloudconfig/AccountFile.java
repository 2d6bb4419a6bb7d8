package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of {@code /etc/passwd}, {@code /etc/group}, {@code /etc/shadow}: colon-separated entries
 * keyed by their first field. Edited in memory, written back in one rename that keeps the
 * file's mode and owner (shadow stays 0640 root:shadow).
 */
final class AccountFile {
  private final Path path;
  private final String name;
  private final List<String> lines;

  private AccountFile(Path path, String name, List<String> lines) {
    this.path = path;
    this.name = name;
    this.lines = lines;
  }

  static AccountFile read(Path path, String name) throws IOException {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
      return new AccountFile(path, name, lines);
    } catch (NoSuchFileException e) {
      throw new IOException(name + " does not exist");
    }
  }

  /** The fields of {@code key}'s entry. */
  Optional<String[]> entry(String key) {
    for (String line : lines) {
      if (key(line).equals(key)) return Optional.of(line.split(":", -1));
    }
    return Optional.empty();
  }

  List<String[]> entries() {
    return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
  }

  /** Replaces {@code key}'s entry with {@code fields}, or appends it. */
  void put(String key, String... fields) {
    String line = String.join(":", fields);
    for (int i = 0; i < lines.size(); i++) {
      if (key(lines.get(i)).equals(key)) {
        lines.set(i, line);
        return;
      }
    }
    lines.add(line);
  }

  void write() throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : lines) text.append(line).append('\n');
    AtomicFiles.replace(path, text.toString().getBytes(StandardCharsets.UTF_8), 0644);
  }

  String name() {
    return name;
  }

  private static String key(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }
}
