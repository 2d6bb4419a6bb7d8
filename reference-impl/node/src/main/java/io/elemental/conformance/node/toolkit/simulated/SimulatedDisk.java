package io.elemental.conformance.node.toolkit.simulated;

import io.elemental.conformance.node.toolkit.BlockDevice;
import io.elemental.conformance.node.toolkit.DiskLayout;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A @sim machine's disk. The partition table is real: a GPT written by {@code sfdisk} on a
 * sparse image of the disk's size, so sizes, order and names are checked as on a real disk. The
 * file systems are directories ({@code fs/<label>}), since filling them inside the image would
 * need loop mounts; what the toolkit writes into them (snapshot images, grubenv, state.yaml) is
 * byte for byte what it writes on a real disk.
 */
public final class SimulatedDisk implements BlockDevice {
  static final String GPT_IMAGE = "disk.img";

  private final String name;
  private final Path dir;
  private final long sizeBytes;

  public SimulatedDisk(String name, Path dir, long sizeBytes) {
    this.name = name;
    this.dir = dir;
    this.sizeBytes = sizeBytes;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long sizeBytes() {
    return sizeBytes;
  }

  public Path dir() {
    return dir;
  }

  /** The sparse image holding the GPT, for {@code sfdisk --json}. */
  public Path gptImage() {
    return dir.resolve(GPT_IMAGE);
  }

  @Override
  public Partitions partition(DiskLayout layout) {
    try {
      if (Files.exists(dir)) LayerUnpacker.deleteTree(dir);
      Files.createDirectories(dir);
      try (RandomAccessFile image = new RandomAccessFile(gptImage().toFile(), "rw")) {
        image.setLength(sizeBytes);
      }
      Path script = dir.resolve("layout.sfdisk");
      Files.writeString(script, layout.sfdiskScript());
      ProcessBuilder sfdisk = new ProcessBuilder("sfdisk", "--quiet", "--no-reread", "--no-tell-kernel",
          gptImage().toString()).redirectInput(script.toFile()).redirectErrorStream(true);
      Process process = sfdisk.start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) throw new ToolkitException("sfdisk could not partition " + name + ": " + output.strip());
      Files.delete(script);
      for (Partition p : layout.partitions()) Files.createDirectories(fs(p.fsLabel()));
    } catch (IOException e) {
      throw new ToolkitException("cannot partition the simulated disk " + name + ": " + e.getMessage()
          + (e.getMessage() != null && e.getMessage().contains("sfdisk") ? ". Fix: apt-get install fdisk" : ""), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolkitException("interrupted while partitioning " + name, e);
    }
    return open();
  }

  @Override
  public Partitions open() {
    if (!Files.isRegularFile(gptImage())) {
      throw new ToolkitException("the disk " + name + " has no partition table. Fix: install first");
    }
    return new Partitions() {
      @Override
      public Path mountPoint(String fsLabel) {
        Path mount = fs(fsLabel);
        if (!Files.isDirectory(mount)) throw new ToolkitException("the disk " + name + " has no file system " + fsLabel);
        return mount;
      }

      @Override
      public void close() {
        // Directories need no unmounting.
      }
    };
  }

  /** Where the file system labelled {@code fsLabel} lives. */
  public Path fs(String fsLabel) {
    return dir.resolve("fs").resolve(fsLabel);
  }

  /** Whether {@link #partition} ever ran: a blank disk has no table. */
  public boolean isPartitioned() {
    return Files.isRegularFile(gptImage());
  }

}
