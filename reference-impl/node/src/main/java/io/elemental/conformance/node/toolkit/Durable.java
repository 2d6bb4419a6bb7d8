package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a file so that a power cut leaves either the old content or the new, never an empty
 * or partial file: the new content is flushed to the disk, renamed over the old, and the rename
 * itself flushed (fsync of the directory). Without the last step, ext4 may lose the rename for
 * several seconds after it returned, which is what an upgrade's commit cannot afford.
 */
public final class Durable {
  private Durable() {}

  /** Moves {@code written} over {@code target} in one rename, both on the disk when this returns. */
  public static void replace(Path written, Path target) throws IOException {
    if (Files.isRegularFile(written, LinkOption.NOFOLLOW_LINKS)) sync(written);
    Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    sync(target.toAbsolutePath().getParent());
  }

  /** fsync(2) of a file or a directory. */
  public static void sync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
