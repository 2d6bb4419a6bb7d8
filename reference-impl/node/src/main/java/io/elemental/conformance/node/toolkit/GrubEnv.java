package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GRUB environment block file, byte for byte as {@code grub-editenv} writes it and GRUB's
 * {@code load_env}/{@code save_env} read it: a header line, {@code key=value} lines, and
 * {@code #} padding to exactly 1024 bytes (GRUB rewrites the block in place, so its size must
 * never change). Written atomically: a power cut leaves the old block or the new one.
 */
public final class GrubEnv {
  static final String HEADER = "# GRUB Environment Block\n";
  static final int SIZE = 1024;

  private final Path file;
  private final Map<String, String> values;

  private GrubEnv(Path file, Map<String, String> values) {
    this.file = file;
    this.values = values;
  }

  /** Reads {@code file}; a missing file is an empty environment. */
  public static GrubEnv read(Path file) {
    if (!Files.isRegularFile(file)) return new GrubEnv(file, new LinkedHashMap<>());
    try {
      return new GrubEnv(file, parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    } catch (IOException e) {
      throw new ToolkitException("cannot read the GRUB environment " + file + ": " + e.getMessage(), e);
    }
  }

  /** The variables of a GRUB environment block's {@code text}, read from {@code source} (for the error). */
  public static Map<String, String> parse(String text, String source) {
    if (!text.startsWith(HEADER)) {
      throw new ToolkitException(source + " is not a GRUB environment block (no '" + HEADER.strip() + "' header)."
          + " Fix: remove it; the toolkit writes a new one");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.substring(HEADER.length()).split("\n")) {
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq <= 0) continue;
      values.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return values;
  }

  public String get(String key) {
    return values.getOrDefault(key, "");
  }

  public boolean isSet(String key) {
    return !get(key).isEmpty();
  }

  public GrubEnv set(String key, String value) {
    if (key.isEmpty() || key.contains("=") || key.contains("\n") || value.contains("\n")) {
      throw new IllegalArgumentException("not a GRUB environment entry: " + key + "=" + value);
    }
    values.put(key, value);
    return this;
  }

  public GrubEnv unset(String key) {
    values.remove(key);
    return this;
  }

  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  public void write() {
    StringBuilder block = new StringBuilder(HEADER);
    values.forEach((k, v) -> block.append(k).append('=').append(v).append('\n'));
    byte[] content = block.toString().getBytes(StandardCharsets.UTF_8);
    if (content.length > SIZE) {
      throw new ToolkitException("the GRUB environment " + file + " would need " + content.length + " bytes; GRUB"
          + " allows " + SIZE + ". Fix: shorten extra_cmdline");
    }
    byte[] padded = new byte[SIZE];
    System.arraycopy(content, 0, padded, 0, content.length);
    java.util.Arrays.fill(padded, content.length, SIZE, (byte) '#');
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      Files.write(temp, padded);
      Durable.replace(temp, file);
    } catch (IOException e) {
      throw new ToolkitException("cannot write the GRUB environment " + file + ": " + e.getMessage(), e);
    }
  }
}
