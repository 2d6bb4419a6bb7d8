package io.elemental.conformance.operator.upgrade;

/** Reasons of a ManagedOSImage's {@code Ready} condition (the reference operator's own). */
public final class UpgradeReasons {
  public static final String UPGRADE_COMPLETE = "UpgradeComplete";
  public static final String UPGRADE_IN_PROGRESS = "UpgradeInProgress";
  public static final String UPGRADE_FAILED = "UpgradeFailed";
  public static final String NO_MACHINES_TARGETED = "NoMachinesTargeted";
  public static final String SUPERSEDED = "Superseded";
  public static final String NO_IMAGE = "NoImage";
  public static final String MANAGED_OS_VERSION_NOT_FOUND = "ManagedOSVersionNotFound";
  public static final String INVALID_IMAGE_REFERENCE = "InvalidImageReference";
  public static final String IMAGE_NOT_FOUND = "ImageNotFound";
  public static final String IMAGE_UNAVAILABLE = "ImageUnavailable";
  public static final String INVALID_NODE_SELECTOR = "InvalidNodeSelector";

  private UpgradeReasons() {}
}
