package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An OS image's root file system, unpacked, with where it came from ({@code oci://ref} or
 * {@code dir:/path}) and its manifest digest (empty for a directory). Closing removes a tree
 * that was unpacked for the occasion, never a source directory.
 */
public record OsTree(Path root, String source, String digest, boolean owned) implements AutoCloseable {
  /** What makes a tree bootable by Elemental's GRUB entries: a kernel, an initrd and os-release. */
  static final String[] REQUIRED = {"etc/os-release", "boot/vmlinuz", "boot/initrd"};

  /** Refuses a tree that is not an OS image, naming what is missing. */
  public OsTree requireBootable() {
    for (String path : REQUIRED) {
      if (!Files.exists(root.resolve(path))) {
        throw new ToolkitException(source + " is not an Elemental OS image: it has no /" + path + ". Fix: build the"
            + " image FROM an Elemental OS base (a kernel at /boot/vmlinuz, an initrd at /boot/initrd, /etc/os-release)");
      }
    }
    return this;
  }

  @Override
  public void close() {
    if (!owned) return;
    try {
      LayerUnpacker.deleteTree(root);
    } catch (IOException e) {
      throw new ToolkitException("cannot remove the unpacked image " + root + ": " + e.getMessage(), e);
    }
  }
}
