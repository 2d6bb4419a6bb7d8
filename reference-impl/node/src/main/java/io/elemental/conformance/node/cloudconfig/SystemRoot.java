package io.elemental.conformance.node.cloudconfig;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file system a stage acts on: {@code /} on the live system, or a directory standing for it
 * ({@code --root}: a scratch root in tests, a new OS tree for a chroot hook), with optional
 * mounts inside it (a chroot hook sees COS_OEM at {@code /oem}). Every absolute path of a
 * cloud-config resolves here; a relative one is taken from the root, and {@code ..} never leaves it.
 */
public record SystemRoot(Path root, Map<String, Path> mounts) {
  public static final SystemRoot LIVE = new SystemRoot(Path.of("/"), Map.of());

  public SystemRoot {
    root = root.toAbsolutePath().normalize();
    mounts = Map.copyOf(mounts);
  }

  public static SystemRoot at(Path root) {
    return new SystemRoot(root, Map.of());
  }

  /** The same root with {@code where} (absolute, inside the root) served by {@code from}. */
  public SystemRoot withMount(String where, Path from) {
    Map<String, Path> all = new LinkedHashMap<>(mounts);
    all.put(normalize(where), from.toAbsolutePath().normalize());
    return new SystemRoot(root, all);
  }

  /** The running system itself: its effects are real, and live-only actions (start, modprobe, sysctl) run. */
  public boolean live() {
    return root.equals(Path.of("/")) && mounts.isEmpty();
  }

  /** Where {@code path} of the system is on this machine. */
  public Path resolve(String path) {
    String normal = normalize(path);
    Optional<String> mount = mounts.keySet().stream()
        .filter(m -> normal.equals(m) || normal.startsWith(m.endsWith("/") ? m : m + "/"))
        .max(Comparator.comparingInt(String::length));
    if (mount.isPresent()) {
      String rest = normal.substring(mount.get().length()).replaceFirst("^/", "");
      return rest.isEmpty() ? mounts.get(mount.get()) : mounts.get(mount.get()).resolve(rest);
    }
    String relative = normal.substring(1);
    return relative.isEmpty() ? root : root.resolve(relative);
  }

  /** The system's own name for {@code file} on this machine (for log lines), or the file itself. */
  public String logical(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      if (absolute.startsWith(mount.getValue())) {
        String rest = mount.getValue().relativize(absolute).toString();
        return rest.isEmpty() ? mount.getKey() : mount.getKey().replaceFirst("/$", "") + "/" + rest;
      }
    }
    if (absolute.startsWith(root)) return "/" + root.relativize(absolute);
    return absolute.toString();
  }

  static String normalize(String path) {
    String normal = Path.of("/").resolve(path.isEmpty() ? "/" : path).normalize().toString();
    return normal.startsWith("/") ? normal : "/" + normal;
  }
}
