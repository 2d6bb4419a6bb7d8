package io.elemental.conformance.operator.seedimage;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where built seed images live: {@code <store>/<SeedImage uid>/}, holding the ISO, its
 * {@code .sha256} and {@code build.properties} (a {@link BuiltSeedImage}). Kept on disk so a
 * restarted operator serves what it built before.
 */
final class SeedImageStore {
  private static final String RECORD = "build.properties";

  private final Path root;

  /** @param root this operator's own directory: SeedImages of other clusters in it would be swept away */
  SeedImageStore(Path root) {
    this.root = root;
  }

  Path dir(String uid) {
    if (!uid.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("not a Kubernetes uid: " + uid);
    }
    return root.resolve(uid);
  }

  Optional<BuiltSeedImage> built(String uid) {
    Path file = dir(uid).resolve(RECORD);
    if (!Files.isRegularFile(file)) return Optional.empty();
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(new BuiltSeedImage(p.getProperty("fingerprint"), p.getProperty("file"), p.getProperty("sha256"),
        p.getProperty("token"), Instant.parse(p.getProperty("builtAt")), Boolean.parseBoolean(p.getProperty("expired"))));
  }

  void record(String uid, BuiltSeedImage built) {
    Properties p = new Properties();
    p.setProperty("fingerprint", built.fingerprint());
    p.setProperty("file", built.fileName());
    p.setProperty("sha256", built.sha256());
    p.setProperty("token", built.token());
    p.setProperty("builtAt", built.builtAt().toString());
    p.setProperty("expired", Boolean.toString(built.expired()));
    Path file = dir(uid).resolve(RECORD);
    Path partial = file.resolveSibling(RECORD + ".partial");
    try {
      Files.createDirectories(file.getParent());
      try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        p.store(out, "seed image build");
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }

  /** A served file of this SeedImage: its ISO or the ISO's {@code .sha256}; nothing else. */
  Optional<Path> servedFile(String uid, String requested) {
    return built(uid).filter(b -> !b.expired())
        .filter(b -> requested.equals(b.fileName()) || requested.equals(b.fileName() + ".sha256"))
        .map(b -> dir(uid).resolve(requested))
        .filter(Files::isRegularFile);
  }

  /** The lifetime is over: the ISO goes (a download already running keeps its open file), the record stays. */
  void expire(String uid, BuiltSeedImage built) {
    try {
      Files.deleteIfExists(dir(uid).resolve(built.fileName()));
      Files.deleteIfExists(dir(uid).resolve(built.fileName() + ".sha256"));
    } catch (IOException e) {
      throw new UncheckedIOException("deleting the expired seed image " + built.fileName() + ": " + e.getMessage(), e);
    }
    record(uid, built.asExpired());
  }

  void delete(String uid) {
    try {
      LiveImageCache.deleteTree(dir(uid));
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + dir(uid) + ": " + e.getMessage(), e);
    }
  }

  /** Removes what belongs to SeedImages that no longer exist. */
  void retainOnly(Set<String> uids) {
    if (!Files.isDirectory(root)) return;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.toList()) {
        if (!uids.contains(dir.getFileName().toString())) {
          LiveImageCache.deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cleaning " + root + ": " + e.getMessage(), e);
    }
  }
}
