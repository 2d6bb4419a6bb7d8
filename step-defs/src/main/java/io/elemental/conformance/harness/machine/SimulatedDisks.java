package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.toolkit.BlockDevice;
import io.elemental.conformance.node.toolkit.MachineDisks;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A simulated machine's disks, in the kernel's order: what an install picks from and what the firmware boots. */
final class SimulatedDisks implements MachineDisks {
  private final List<SimulatedDisk> disks;

  /** {@code sizes}: disk name to size in bytes, in order; each disk is a sparse image under {@code dir}. */
  SimulatedDisks(Map<String, Long> sizes, Path dir) {
    if (sizes.isEmpty()) throw new IllegalArgumentException("a machine needs a disk");
    List<SimulatedDisk> made = new ArrayList<>();
    sizes.forEach((name, bytes) -> made.add(new SimulatedDisk(name, dir.resolve(Path.of(name).getFileName()
        .toString()), bytes)));
    this.disks = List.copyOf(made);
  }

  SimulatedDisk first() {
    return disks.get(0);
  }

  /** The first disk the firmware can boot, else {@code fallback}. */
  SimulatedDisk bootable(SimulatedDisk fallback) {
    return disks.stream().filter(SimulatedFirmware::isBootable).findFirst().orElse(fallback);
  }

  /** The disk called {@code name}; an install naming another fails as on a real machine. */
  @Override
  public SimulatedDisk named(String name) {
    return disks.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new ToolkitException(
        "the install device " + name + " does not exist on this machine. Fix: set"
            + " config.elemental.install.device of the MachineRegistration to one of: "
            + String.join(", ", disks.stream().map(SimulatedDisk::name).toList())));
  }

  @Override
  public List<BlockDevice> all() {
    return List.copyOf(disks);
  }
}
