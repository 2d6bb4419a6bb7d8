package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A failure in a few words for the console: what failed, not a Java exception's class name. */
final class Reasons {
  private Reasons() {}

  static String of(Exception e) {
    if (e instanceof NoSuchFileException n) return "no such file or directory (" + n.getFile() + ")";
    if (e instanceof AccessDeniedException a) return "permission denied (" + a.getFile() + ")";
    if (e instanceof FileAlreadyExistsException f) return "already exists (" + f.getFile() + ")";
    if (e instanceof NotDirectoryException d) return "not a directory (" + d.getFile() + ")";
    if (e instanceof IOException && e.getMessage() != null) return e.getMessage();
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
