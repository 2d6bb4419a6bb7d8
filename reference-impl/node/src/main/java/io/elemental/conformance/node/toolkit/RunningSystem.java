package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.node.cloudconfig.StageHooks;
import java.nio.file.Path;

/**
 * The machine the toolkit runs on, as the commands that act on the installed system need it:
 * its disk, what booted, a scratch place and the power button. In a VM this is the live host;
 * in @sim, the simulated machine.
 */
public interface RunningSystem {
  /** The installed disk's partitions, mounted read-write. */
  Partitions partitions();

  /** The GRUB entry this boot came from ({@code active}, {@code passive<N>}, {@code recovery}), or {@code live}. */
  String bootedEntry();

  /** Reboots. Returns only on a machine whose reboot is asynchronous; the caller must then stop working. */
  void reboot();

  /**
   * Told each point an upgrade passes between two writes ({@link Upgrader#CHECKPOINTS}): where a
   * fault-injection run cuts the power. A real machine does nothing.
   */
  default void checkpoint(String point) {
  }

  /**
   * The cloud-config hooks its upgrades and resets run (before-upgrade, after-upgrade-chroot, ...).
   * None unless the machine says where its root is: a real machine runs them on {@code /}.
   */
  default StageHooks stageHooks() {
    return StageHooks.NONE;
  }
}
