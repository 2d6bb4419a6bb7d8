package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Simulated disks with the smallest OS installed that install accepts: os-release, kernel and initrd. */
public final class InstalledDisks {
  private static final long SIZE = 4L * 1024 * 1024 * 1024;

  private InstalledDisks() {}

  /** A 4 GiB {@code /dev/vda} under {@code dir}, installed with the small layout, {@code oemFiles} on COS_OEM. */
  public static SimulatedDisk minimal(Path dir, Map<String, byte[]> oemFiles) throws IOException {
    Path os = dir.resolve("os");
    Files.createDirectories(os.resolve("etc"));
    Files.createDirectories(os.resolve("boot"));
    Files.writeString(os.resolve("etc/os-release"), "NAME=test\nVERSION_ID=v1\n");
    Files.writeString(os.resolve("boot/vmlinuz"), "kernel");
    Files.writeString(os.resolve("boot/initrd"), "initrd");
    SimulatedDisk disk = new SimulatedDisk("/dev/vda", dir.resolve("disk"), SIZE);
    new Installer(Clock.systemUTC()).install(new InstallSpec(disk, DiskLayout.small(), "dir:" + os, 2, oemFiles,
        dir.resolve("scratch")));
    return disk;
  }

  /** The source string the minimal OS of {@link #minimal} was installed from. */
  public static String source(Path dir) {
    return "dir:" + dir.resolve("os");
  }
}
