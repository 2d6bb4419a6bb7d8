package io.elemental.conformance.node.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GRUB on COS_GRUB: a standalone EFI binary at the removable-media path
 * ({@code EFI/BOOT/bootx64.efi}, found by firmware with no boot entry to register), whose
 * embedded config finds COS_GRUB and reads {@link GrubConfig#PATH}.
 */
final class EfiBoot {
  static final String LOADER = "EFI/BOOT/bootx64.efi";

  private EfiBoot() {}

  static void install(Path efi) {
    try {
      Path loader = efi.resolve(LOADER);
      Path config = efi.resolve(GrubConfig.PATH);
      Files.createDirectories(loader.getParent());
      Files.createDirectories(config.getParent());
      Path embedded = Files.createTempFile("elemental-grub-embedded-", ".cfg");
      try {
        Files.writeString(embedded, GrubConfig.embedded());
        HostTools.run(List.of("grub-mkstandalone", "-O", "x86_64-efi", "--locales=", "--fonts=", "--themes=",
            "-o", loader.toString(), "boot/grub/grub.cfg=" + embedded));
      } finally {
        Files.deleteIfExists(embedded);
      }
      Files.writeString(config, GrubConfig.script());
    } catch (IOException e) {
      throw new ToolkitException("cannot write GRUB to " + efi + ": " + e.getMessage(), e);
    }
  }
}
