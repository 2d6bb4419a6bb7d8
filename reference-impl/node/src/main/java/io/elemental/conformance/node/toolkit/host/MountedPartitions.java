package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.HostTools;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real partitions, by file system label, mounted read-write while this is open. A partition the
 * system already has mounted (an installed system's {@code /oem}, its COS_STATE) is used where it
 * is, remounted read-write if it was read-only; the others are mounted under
 * {@code /run/elemental/install/<label>}. Closing undoes exactly what opening did.
 */
final class MountedPartitions implements Partitions {
  static final Path MOUNT_BASE = Path.of("/run/elemental/install");
  private static final Logger LOG = LoggerFactory.getLogger(MountedPartitions.class);

  private final Map<String, Path> devices;
  private final Map<String, Path> mountPoints = new LinkedHashMap<>();
  private final List<Path> mountedHere = new ArrayList<>();
  private final List<Path> remountedRw = new ArrayList<>();

  private MountedPartitions(Map<String, Path> devices) {
    this.devices = Map.copyOf(devices);
  }

  /** Mounts every partition of {@code devices} (label → block device). */
  static MountedPartitions mount(Map<String, Path> devices) {
    MountedPartitions partitions = new MountedPartitions(devices);
    try {
      MountTable table = MountTable.read();
      for (Map.Entry<String, Path> d : devices.entrySet()) partitions.mountOne(table, d.getKey(), d.getValue());
      return partitions;
    } catch (RuntimeException e) {
      partitions.close();
      throw e;
    }
  }

  private void mountOne(MountTable table, String label, Path device) {
    var existing = table.rootMountOf(device);
    if (existing.isPresent()) {
      Path at = existing.get().mountPoint();
      if (existing.get().readOnly()) {
        HostTools.run("mount", "-o", "remount,rw", at.toString());
        remountedRw.add(at);
      }
      mountPoints.put(label, at);
      return;
    }
    Path at = MOUNT_BASE.resolve(label);
    try {
      Files.createDirectories(at);
    } catch (IOException e) {
      throw new ToolkitException("cannot make the mount point " + at + ": " + e.getMessage(), e);
    }
    HostTools.run("mount", "-o", "rw", device.toString(), at.toString());
    mountedHere.add(at);
    mountPoints.put(label, at);
  }

  @Override
  public Path mountPoint(String fsLabel) {
    Path at = mountPoints.get(fsLabel);
    if (at == null) {
      throw new ToolkitException("no partition labelled " + fsLabel + " (found " + devices.keySet() + "). Fix: install"
          + " the machine first, or check the disk with lsblk -f");
    }
    return at;
  }

  @Override
  public void close() {
    HostTools.run("sync");
    for (int i = mountedHere.size() - 1; i >= 0; i--) {
      Path at = mountedHere.get(i);
      try {
        HostTools.run("umount", at.toString());
      } catch (ToolkitException e) {
        LOG.warn("could not unmount {}: {}", at, e.getMessage());
      }
    }
    mountedHere.clear();
    for (Path at : remountedRw) {
      try {
        HostTools.run("mount", "-o", "remount,ro", at.toString());
      } catch (ToolkitException e) {
        LOG.warn("could not remount {} read-only: {}", at, e.getMessage());
      }
    }
    remountedRw.clear();
  }
}
