package io.elemental.conformance.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies image layers, lowest first, to a root directory the way container runtimes do: a
 * layer's whiteouts ({@code .wh.<name>} deletes {@code <name>}, {@code .wh..wh..opq} empties its
 * directory) remove what lower layers put there, then GNU tar extracts the layer's own members
 * with their modes, owners (numeric), xattrs, symlinks, hardlinks and device nodes.
 *
 * <p>Java decides (whiteouts, entries that replace a directory or are replaced by one); GNU tar
 * writes, because it restores every kind of member faithfully when run as root. A member whose
 * parent directory is reached through a symlink leaving the root (an absolute link from a lower
 * layer) is refused: tar would write through it onto the host.
 */
public final class LayerUnpacker {
  private static final Logger LOG = LoggerFactory.getLogger(LayerUnpacker.class);
  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  private LayerUnpacker() {}

  /** Unpacks every layer of {@code image} into {@code root} (created if missing). */
  public static void unpack(PulledImage image, Path root) {
    long begin = System.nanoTime();
    List<Path> layers = image.layers();
    for (int i = 0; i < layers.size(); i++) {
      apply(layers.get(i), root, image.manifest().reference() + " layer " + (i + 1) + "/" + layers.size());
    }
    LOG.info("unpacked {} ({} layers) into {} in {} ms", image.manifest().reference(), layers.size(), root,
        (System.nanoTime() - begin) / 1_000_000);
  }

  /** Applies one layer tarball (gzip, zstd or plain) on top of {@code root}. */
  public static void apply(Path layer, Path root, String what) {
    apply(layer, root, what, null);
  }

  /**
   * As {@link #apply(Path, Path, String)}, with the layer's members already listed
   * ({@link TarIndex#list(Path)}; null to list them here, or not at all into an empty root).
   */
  public static void apply(Path layer, Path root, String what, List<TarEntry> listed) {
    try {
      Files.createDirectories(root);
      Path realRoot = root.toRealPath();
      if (isEmpty(realRoot)) {
        // Nothing below the first layer: no whiteout can hide anything, nothing is replaced, and no
        // link of an earlier layer can lead a member out of the root (within one archive, GNU tar
        // makes absolute and ".." links only after every member is written). So no index pass:
        // under TCG, decompressing the base layer once more costs tens of seconds.
        extract(layer, realRoot, what);
        return;
      }
      List<TarEntry> entries = listed != null ? listed : TarIndex.list(layer);
      Set<String> checkedParents = new HashSet<>();
      int whiteouts = 0;
      for (TarEntry entry : entries) {
        requireInsideRoot(realRoot, entry, checkedParents, what);
        if (entry.name().equals(OPAQUE)) {
          emptyDirectory(realRoot.resolve(entry.parent()));
          whiteouts++;
        } else if (entry.name().startsWith(WHITEOUT_PREFIX)) {
          String hidden = entry.name().substring(WHITEOUT_PREFIX.length());
          deleteTree(realRoot.resolve(entry.parent()).resolve(hidden));
          whiteouts++;
        } else {
          clearWayFor(realRoot.resolve(entry.path()), entry);
        }
      }
      extract(layer, realRoot, what);
      LOG.debug("{}: {} members, {} whiteouts applied", what, entries.size(), whiteouts);
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": unpacking " + layer + " into " + root + " failed: " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }

  /** The member's parent, as tar would reach it on disk, must still be inside the root. */
  private static void requireInsideRoot(Path realRoot, TarEntry entry, Set<String> checked, String what)
      throws IOException {
    String parent = entry.parent();
    if (parent.isEmpty() || !checked.add(parent)) return;
    Path existing = realRoot.resolve(parent);
    while (!existing.equals(realRoot) && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path real = existing.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new OciException(what + ": member /" + entry.path() + " would be written through a symlink leaving the"
          + " image root (" + realRoot.relativize(existing) + " resolves to " + real + "); refusing to unpack it."
          + " Fix: make that link relative in the image");
    }
  }

  /** Container semantics: a directory replaces whatever is there unless it is a directory; anything else replaces a directory. */
  private static void clearWayFor(Path target, TarEntry entry) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
    boolean isDirectory = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
    if (entry.type() == TarEntry.Type.DIRECTORY ? !isDirectory : isDirectory) {
      deleteTree(target);
    }
  }

  private static void emptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        deleteTree(child);
      }
    }
  }

  /** Deletes a file, link (not its target) or directory tree; missing is fine. */
  /** Deletes a file or a directory tree without following links; a missing path is fine. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) throw e;
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void extract(Path layer, Path root, String what) throws IOException {
    List<String> command = new ArrayList<>(List.of("tar", "--extract", "--file", layer.toString(),
        "--directory", root.toString(), "--numeric-owner", "--same-owner", "--same-permissions",
        "--xattrs", "--xattrs-include=*", "--exclude=" + WHITEOUT_PREFIX + "*"));
    Process tar;
    try {
      tar = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new OciException(what + ": GNU tar is needed to unpack image layers and could not be started ("
          + e.getMessage() + "). Fix: apt-get install -y tar", e);
    }
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!tar.waitFor(10, TimeUnit.MINUTES)) {
        tar.destroyForcibly();
        throw new OciException(what + ": tar did not finish within 10 minutes");
      }
    } catch (InterruptedException e) {
      tar.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new OciException(what + ": unpacking interrupted", e);
    }
    if (tar.exitValue() != 0) {
      throw new OciException(what + ": tar failed (exit " + tar.exitValue() + "): "
          + output.strip().lines().limit(10).reduce((a, b) -> a + "; " + b).orElse(""));
    }
  }
}
