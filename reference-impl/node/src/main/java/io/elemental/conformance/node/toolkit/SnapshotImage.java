package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A snapshot's file system image: ext2, labelled {@code EL_SNAP<N>}, made from an unpacked OS
 * tree without mounting anything ({@code mkfs.ext2 -d}), so it is made the same way on both tiers.
 */
public final class SnapshotImage {
  /** Free room in the image, as a share of its content: enough for ext2's own metadata. */
  private static final double SLACK = 0.25;
  private static final long MIN_FREE_MIB = 16;

  private SnapshotImage() {}

  public static String label(int snapshot) {
    return "EL_SNAP" + snapshot;
  }

  /** Writes {@code image} with the content of {@code tree}. */
  public static void create(Path tree, Path image, String label) {
    Footprint footprint = Footprint.of(tree);
    long sizeMiB = (long) Math.ceil(footprint.bytes() * (1 + SLACK) / (1024 * 1024)) + MIN_FREE_MIB;
    long inodes = footprint.entries() + 1024;
    HostTools.run(List.of("mkfs.ext2", "-q", "-F", "-d", tree.toString(), "-L", label, "-N", Long.toString(inodes),
        "-m", "0", image.toString(), sizeMiB + "M"));
  }

  /**
   * Copies an image's content into {@code target} without mounting it ({@code debugfs rdump}):
   * how a simulated machine "mounts" its snapshot. The copy is per boot, which is what makes a
   * simulated root's changes vanish at reboot like a tmpfs overlay's.
   */
  public static void extract(Path image, Path target) {
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String output = HostTools.run(List.of("debugfs", "-R", "rdump / " + target.toAbsolutePath(), image.toString()));
    // debugfs exits 0 even when a request fails; its messages are the only sign.
    if (output.contains("while ") || output.contains("Bad magic")) {
      throw new ToolkitException("cannot read the snapshot image " + image + ": " + output.strip());
    }
  }

  private record Footprint(long bytes, long entries) {
    static Footprint of(Path tree) {
      AtomicLong bytes = new AtomicLong();
      AtomicLong entries = new AtomicLong();
      try (Stream<Path> walk = Files.walk(tree)) {
        walk.forEach(p -> {
          entries.incrementAndGet();
          // Blocks, not bytes: a tree of many small files needs a block each.
          long size = Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? p.toFile().length() : 0;
          bytes.addAndGet(((size + 4095) / 4096 + 1) * 4096);
        });
      } catch (IOException e) {
        throw new ToolkitException("cannot read the OS tree " + tree + ": " + e.getMessage(), e);
      }
      return new Footprint(bytes.get(), entries.get());
    }
  }
}
