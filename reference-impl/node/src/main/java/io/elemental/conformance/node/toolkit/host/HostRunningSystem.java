package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.cloudconfig.CloudConfigHooks;
import io.elemental.conformance.node.cloudconfig.StageHooks;
import io.elemental.conformance.node.toolkit.HostTools;
import io.elemental.conformance.node.toolkit.BootEntries;
import io.elemental.conformance.node.toolkit.ImmutableRoot;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.ToolkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine this JVM runs on. What booted comes from the kernel command line GRUB wrote
 * ({@code elemental.image=active|passive<N>|recovery}), else from the initramfs's mode markers
 * ({@code /run/elemental/<mode>_mode}); neither means the live seed image. Partitions are found
 * by label anywhere on the machine.
 */
public final class HostRunningSystem implements RunningSystem {
  static final Path CMDLINE = Path.of("/proc/cmdline");
  public static final String LIVE = "live";
  private static final List<String> LABELS = List.of(Partition.EFI, Partition.OEM, Partition.RECOVERY, Partition.STATE,
      Partition.PERSISTENT);

  private final Path cmdline;
  private final Path modeDir;
  private CheckpointHold hold;

  public HostRunningSystem() {
    this(CMDLINE, Path.of(ImmutableRoot.MODE_DIR));
  }

  HostRunningSystem(Path cmdline, Path modeDir) {
    this.cmdline = cmdline;
    this.modeDir = modeDir;
  }

  @Override
  public Partitions partitions() {
    Map<String, Path> devices = new LinkedHashMap<>();
    for (String label : LABELS) {
      byLabel(label).ifPresent(dev -> devices.put(label, dev));
    }
    if (!devices.containsKey(Partition.STATE) || !devices.containsKey(Partition.OEM)) {
      throw new ToolkitException("this machine has no installed Elemental disk (found labels " + devices.keySet()
          + "). Fix: install first (elemental install --device <disk>)");
    }
    return MountedPartitions.mount(devices);
  }

  /** The cloud-config hooks of this machine: stages run on its {@code /}, lines on stdout. */
  @Override
  public StageHooks stageHooks() {
    return CloudConfigHooks.live();
  }

  @Override
  public String bootedEntry() {
    Optional<String> image = cmdlineValue("elemental.image");
    if (image.isPresent()) return image.get();
    for (String mode : List.of(BootEntries.ACTIVE, "passive", BootEntries.RECOVERY)) {
      if (Files.exists(modeDir.resolve(mode + "_mode"))) return mode;
    }
    return LIVE;
  }

  /** Where a fault-injection run asked for it ({@link CheckpointHold}), the upgrade waits for the power to be cut. */
  @Override
  public void checkpoint(String point) {
    if (hold == null) hold = CheckpointHold.fromEnvironment(System.getenv());
    hold.reached(point);
  }

  public boolean isLive() {
    return LIVE.equals(bootedEntry());
  }

  /** Whether the kernel command line carries {@code flag} (alone or as {@code flag=...}). */
  public boolean cmdlineHas(String flag) {
    return words().stream().anyMatch(w -> w.equals(flag) || w.startsWith(flag + "="));
  }

  public Optional<String> cmdlineValue(String key) {
    return words().stream().filter(w -> w.startsWith(key + "=")).map(w -> w.substring(key.length() + 1))
        .reduce((first, last) -> last);
  }

  /** Asks systemd to reboot and never returns: nothing may report success before the machine goes down. */
  @Override
  public void reboot() {
    shutdown("reboot");
  }

  public void powerOff() {
    shutdown("poweroff");
  }

  private static void shutdown(String verb) {
    HostTools.run("sync");
    HostTools.run("systemctl", "--no-block", verb);
    while (true) {
      try {
        Thread.sleep(60_000); // systemd stops this process on the way down
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolkitException("interrupted while waiting for the " + verb, e);
      }
    }
  }

  private List<String> words() {
    try {
      return List.of(Files.readString(cmdline).trim().split("\\s+"));
    } catch (IOException e) {
      throw new ToolkitException("cannot read the kernel command line " + cmdline + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Path> byLabel(String label) {
    try {
      String dev = HostTools.run("blkid", "-L", label).strip();
      return dev.isEmpty() ? Optional.empty() : Optional.of(Path.of(dev));
    } catch (ToolkitException e) {
      return Optional.empty(); // blkid -L exits 2 when no file system has the label
    }
  }
}
