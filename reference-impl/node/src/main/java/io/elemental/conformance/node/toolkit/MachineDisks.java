package io.elemental.conformance.node.toolkit;

import java.util.List;

/** The disks of a machine, as the install finds its target: by name, or by a device selector over all of them. */
public interface MachineDisks {
  /** The disk called {@code name} ({@code /dev/vda}); it need not be in {@link #all()} (a by-id link, say). */
  BlockDevice named(String name);

  /** Every whole disk the machine could install to, in the kernel's order. */
  List<BlockDevice> all();
}
