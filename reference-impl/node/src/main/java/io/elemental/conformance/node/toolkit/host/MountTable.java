package io.elemental.conformance.node.toolkit.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is mounted where, from {@code /proc/self/mountinfo}. A device can be mounted many times
 * (the persistent paths are bind mounts of COS_PERSISTENT): only a mount of the file system's own
 * root ({@code /}) counts as "where the partition is".
 */
record MountTable(List<Entry> entries) {
  static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  record Entry(String root, Path mountPoint, String options, String source) {
    boolean readOnly() {
      return List.of(options.split(",")).contains("ro");
    }
  }

  static MountTable read() {
    try {
      List<Entry> entries = new ArrayList<>();
      for (String line : Files.readAllLines(MOUNTINFO)) {
        String[] fields = line.split(" ");
        int dash = List.of(fields).indexOf("-");
        if (dash < 0 || fields.length < dash + 3) continue;
        entries.add(new Entry(unescape(fields[3]), Path.of(unescape(fields[4])), fields[5], unescape(fields[dash + 2])));
      }
      return new MountTable(entries);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
    }
  }

  /** Where {@code device}'s file system root is mounted, if it is. */
  Optional<Entry> rootMountOf(Path device) {
    Path real = realPath(device);
    return entries.stream().filter(e -> "/".equals(e.root()) && e.source().startsWith("/dev/")
        && realPath(Path.of(e.source())).equals(real)).findFirst();
  }

  Optional<Entry> at(Path mountPoint) {
    Path target = mountPoint.toAbsolutePath().normalize();
    Entry last = null;
    for (Entry e : entries) {
      if (e.mountPoint().equals(target)) last = e; // the topmost mount wins
    }
    return Optional.ofNullable(last);
  }

  static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() + 0 && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
