package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.BlockDevice;
import io.elemental.conformance.node.toolkit.HostTools;
import io.elemental.conformance.node.toolkit.MachineDisks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole disks of this machine, from lsblk: writable disks only, so the seed image's CD
 * ({@code rom}), loop devices and read-only disks are never candidates for a device selector.
 */
public final class HostDisks implements MachineDisks {
  @Override
  public BlockDevice named(String name) {
    return LinuxDisk.of(name);
  }

  @Override
  public List<BlockDevice> all() {
    List<BlockDevice> disks = new ArrayList<>();
    for (String line : HostTools.run("lsblk", "-dnpo", "NAME,TYPE,RO").strip().split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 3 && fields[1].equals("disk") && fields[2].equals("0")) {
        disks.add(new LinuxDisk(Path.of(fields[0])));
      }
    }
    return disks;
  }
}
