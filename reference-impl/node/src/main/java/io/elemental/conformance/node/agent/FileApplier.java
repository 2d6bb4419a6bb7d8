package io.elemental.conformance.node.agent;

import io.elemental.conformance.oci.LayerUnpacker;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Puts a plan's {@code files[]} on disk under a root directory ({@code /} on a machine, a temp
 * directory in tests and the @sim tier), in order, stopping at the first that fails.
 *
 * <p>As rancher/system-agent (pkg/applyinator/file.go): files default to mode 0600, directories
 * to 0755, missing parents are made 0755, {@code permissions} is parsed as octal, and a file whose
 * content is already right is not rewritten (its mode is still set). Unlike it, a file is written
 * to a temporary file beside it and moved into place, so a crash never leaves half a file, and
 * {@code action: delete} removes the path (ELEMENTAL.md §6). uid/gid are not applied: the
 * reference agent has no use for them yet and chown needs root.
 */
public final class FileApplier {
  static final int DEFAULT_FILE_MODE = 0600;
  static final int DEFAULT_DIRECTORY_MODE = 0755;

  /** Writes the bytes to a (temporary) file; a seam so tests can fail half-way through. */
  @FunctionalInterface
  interface ContentWriter {
    void write(Path file, byte[] content) throws IOException;
  }

  private final Path root;
  private final ContentWriter writer;

  public FileApplier(Path root) {
    this(root, Files::write);
  }

  FileApplier(Path root, ContentWriter writer) {
    this.root = root.toAbsolutePath().normalize();
    this.writer = writer;
  }

  public Path root() {
    return root;
  }

  public void apply(List<Plan.PlanFile> files) throws IOException {
    for (Plan.PlanFile file : files) {
      apply(file);
    }
  }

  public void apply(Plan.PlanFile file) throws IOException {
    Path target = resolve(file.path());
    if (file.isDelete()) {
      delete(target);
    } else if (file.directory()) {
      int mode = mode(file, DEFAULT_DIRECTORY_MODE);
      createParents(target);
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(target);
      }
      setMode(target, mode);
    } else {
      writeFile(target, decode(file), mode(file, DEFAULT_FILE_MODE));
    }
  }

  /** Where a plan path lands under the root; a path that climbs out of the root is refused. */
  public Path resolve(String planPath) throws IOException {
    if (planPath == null || planPath.isBlank()) {
      throw new IOException("plan file has no path");
    }
    String relative = planPath.replaceFirst("^/+", "");
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IOException("plan file path " + planPath + " is outside " + root);
    }
    return target;
  }

  private void writeFile(Path target, byte[] content, int mode) throws IOException {
    createParents(target);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(target), content)) {
      setMode(target, mode);
      return;
    }
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".plan-tmp");
    try {
      // The temp file is created 0600, so the content is never readable by others; the plan's
      // mode is set once it is written (a read-only mode would otherwise stop the write).
      writer.write(temp, content);
      setMode(temp, mode);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void createParents(Path target) throws IOException {
    Path parent = target.getParent();
    if (Files.isDirectory(parent)) return;
    createParents(parent);
    try {
      Files.createDirectory(parent);
      setMode(parent, DEFAULT_DIRECTORY_MODE);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(parent)) throw e;
    }
  }

  private static void delete(Path target) throws IOException {
    LayerUnpacker.deleteTree(target);
  }

  private static byte[] decode(Plan.PlanFile file) throws IOException {
    String content = file.content() == null ? "" : file.content();
    try {
      return Base64.getDecoder().decode(content);
    } catch (IllegalArgumentException e) {
      throw new IOException("content of plan file " + file.path() + " is not base64: " + e.getMessage(), e);
    }
  }

  /** The mode from the plan's octal {@code permissions}, or the default when it is empty. */
  static int mode(Plan.PlanFile file, int defaultMode) throws IOException {
    String permissions = file.permissions();
    if (permissions == null || permissions.isEmpty()) return defaultMode;
    try {
      int mode = Integer.parseInt(permissions, 8);
      if (mode < 0) throw new NumberFormatException("negative");
      return mode;
    } catch (NumberFormatException e) {
      throw new IOException("permissions " + permissions + " of plan file " + file.path()
          + " is not an octal mode such as 0644", e);
    }
  }

  /**
   * Sets the rwx bits (setuid, setgid and sticky have no java.nio equivalent and are dropped).
   * Does nothing on a file system without POSIX permissions.
   */
  static void setMode(Path path, int mode) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    if (view == null) return;
    view.setPermissions(permissions(mode));
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (0400 >> i)) != 0) set.add(order[i]);
    }
    return set;
  }
}
