package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.DirectoryEntry;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code directories}, as yip's {@code EnsureDirectories}: an existing directory gets the mode and
 * owner asked for; a missing one is made, with its missing parents, each with that mode (less
 * the umask, as mkdir(2) applies it) and owner; an existing non-directory is an error.
 */
final class DirectoriesApplier implements StepApplier {
  @Override
  public String key() {
    return "directories";
  }

  @Override
  public void apply(Step step, StepContext context) {
    for (DirectoryEntry dir : step.directories()) {
      try {
        ensure(dir, context.target(), true);
      } catch (IOException e) {
        context.fail("directories: " + dir.path() + ": " + Reasons.of(e));
      }
    }
  }

  /** yip's {@code writePath}: {@code topLevel} is the directory named in the cloud-config, not a parent made for it. */
  static void ensure(DirectoryEntry dir, Target target, boolean topLevel) throws IOException {
    Path path = target.root().resolve(dir.path());
    if (Files.isDirectory(path)) {
      if (!topLevel) return;
      Files.setPosixFilePermissions(path, AtomicFiles.permissions(dir.permissions()));
      target.ownership().chown(path, dir.owner(), dir.group());
      return;
    }
    if (Files.exists(path)) throw new IOException(dir.path() + " already exists and it is not a directory");
    String parent = parentOf(dir.path());
    if (!parent.equals("/") && !parent.equals(".") && !Files.exists(target.root().resolve(parent))) {
      ensure(new DirectoryEntry(parent, dir.permissions(), dir.owner(), dir.group()), target, false);
    }
    try {
      Files.createDirectory(path, PosixFilePermissions.asFileAttribute(AtomicFiles.permissions(dir.permissions())));
    } catch (FileAlreadyExistsException e) {
      return; // made meanwhile
    }
    target.ownership().chown(path, dir.owner(), dir.group());
  }

  /** Go's filepath.Dir of a cloud-config path. */
  static String parentOf(String path) {
    String clean = path.replaceAll("/+$", "");
    int slash = clean.lastIndexOf('/');
    if (slash < 0) return ".";
    return slash == 0 ? "/" : clean.substring(0, slash);
  }
}
