package io.elemental.conformance.oci;

/** One member of a layer tarball: its path (relative, normalised) and what it is. */
public record TarEntry(String path, Type type) {
  public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO, OTHER }

  /** The file name: the last path component. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The parent directory's path, "" for the root. */
  public String parent() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
