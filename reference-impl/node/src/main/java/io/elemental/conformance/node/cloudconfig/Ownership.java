package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Who owns what a step writes: chown(2) on the machine; tests record it instead. */
public interface Ownership {
  void chown(Path path, int uid, int gid) throws IOException;

  /** The numeric owner and group of {@code path}. */
  default int[] owner(Path path) throws IOException {
    return new int[] {(Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)};
  }

  Ownership POSIX = (path, uid, gid) -> {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  };
}
