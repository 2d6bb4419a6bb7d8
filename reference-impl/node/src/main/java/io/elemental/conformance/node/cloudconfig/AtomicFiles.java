package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes that leave either the old file or the complete new one, never half of it: the content
 * goes to a temporary file beside the target, gets its mode and owner, is flushed, and is renamed
 * over the target; the directory is flushed after the rename.
 */
final class AtomicFiles {
  private static final PosixFilePermission[] BITS = {PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private AtomicFiles() {}

  /** The permission bits of a mode; setuid, setgid and sticky are dropped, as Go's os.FileMode(perm) drops them. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) set.add(BITS[bit]);
    }
    return set;
  }

  static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (int bit = 0; bit < BITS.length; bit++) {
      if (permissions.contains(BITS[bit])) mode |= 1 << bit;
    }
    return mode;
  }

  /**
   * Replaces {@code target} with {@code content} and mode {@code mode}; {@code owner} (uid, gid) is
   * given to the new file before the rename when not null. Callers chown through their
   * {@link Ownership} afterwards when a cloud-config names an owner.
   */
  static void write(Path target, byte[] content, int mode, int[] owner) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".new");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) channel.write(buffer);
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, permissions(mode));
      if (owner != null) Ownership.POSIX.chown(temp, owner[0], owner[1]);
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** As {@link #write}, keeping the mode and owner {@code target} has; a new file gets {@code modeIfNew}. */
  static void replace(Path target, byte[] content, int modeIfNew) throws IOException {
    if (Files.exists(target)) {
      write(target, content, mode(Files.getPosixFilePermissions(target)), Ownership.POSIX.owner(target));
    } else {
      write(target, content, modeIfNew, null);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot fsync a directory; the rename itself is still atomic.
    }
  }
}
