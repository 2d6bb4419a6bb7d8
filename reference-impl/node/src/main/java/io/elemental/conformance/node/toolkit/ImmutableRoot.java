package io.elemental.conformance.node.toolkit;

import java.util.List;

/**
 * How a booted Elemental system is put together (ELEMENTAL.md §7): the snapshot read-only at
 * {@code /}, tmpfs overlays where the OS must write, paths kept on COS_PERSISTENT under
 * {@code .state/<path with / as ->.bind}, and {@code /run/elemental/<mode>_mode} saying what
 * booted. The initramfs module (VMs) and the simulated firmware (@sim) both follow this.
 */
public final class ImmutableRoot {
  public static final List<String> OVERLAYS = List.of("/etc", "/var", "/srv");
  /** Elemental's defaults, plus the agent's and the register client's state, which must outlive a reboot. */
  public static final List<String> PERSISTENT_PATHS = List.of("/etc/systemd", "/etc/ssh", "/home", "/opt", "/root",
      "/var/log", "/var/lib/elemental", "/var/lib/rancher", "/usr/local");
  public static final String MODE_DIR = "/run/elemental";
  public static final String LEGACY_MODE_DIR = "/run/cos";
  /** Left by a boot that fell back after an upgrade's boot failed its health checks. */
  public static final String UPGRADE_FAILURE = "/run/elemental/upgrade_failure";

  private ImmutableRoot() {}

  /** Where a persistent path's content lives on COS_PERSISTENT, relative to it. */
  public static String bindDir(String path) {
    return ".state/" + path.substring(1).replace('/', '-') + ".bind";
  }

  /** The marker file of a mode: active, passive, recovery or live. */
  public static String modeMarker(String mode) {
    return MODE_DIR + "/" + mode + "_mode";
  }
}
