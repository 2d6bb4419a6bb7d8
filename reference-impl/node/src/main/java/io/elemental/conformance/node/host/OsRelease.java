package io.elemental.conformance.node.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /etc/os-release}: KEY=VALUE lines, values optionally quoted (os-release(5)). */
public final class OsRelease {
  private OsRelease() {}

  public static Map<String, String> read(Path file) {
    try {
      return Files.isReadable(file) ? parse(Files.readString(file)) : Map.of();
    } catch (IOException e) {
      return Map.of();
    }
  }

  public static Map<String, String> parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      line = line.trim();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq <= 0) continue;
      String value = line.substring(eq + 1).trim();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
      }
      values.put(line.substring(0, eq).trim(), value);
    }
    return values;
  }
}
