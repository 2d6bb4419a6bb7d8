package io.elemental.conformance.operator.upgrade;

import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code Ready} condition of a ManagedOSImage from its machines' states: True only when
 * every targeted machine is upgraded; while any is pending or upgrading it is in progress; then
 * failed when any failed.
 */
public record UpgradeVerdict(boolean ready, String reason, String message) {

  /**
   * @param selectorEmpty whether {@code spec.nodeSelector} is missing or empty (it then selects
   *     nothing, and the message says so)
   */
  public static UpgradeVerdict of(List<ManagedOSImage.Machine> machines, String image, boolean selectorEmpty,
      String namespace) {
    if (machines.isEmpty()) {
      return new UpgradeVerdict(false, UpgradeReasons.NO_MACHINES_TARGETED, selectorEmpty
          ? "spec.nodeSelector is empty: it selects no machine. Fix: set matchLabels or matchExpressions matching"
              + " the MachineInventories to upgrade"
          : "no MachineInventory in namespace " + namespace + " matches spec.nodeSelector. Fix: label the"
              + " inventories to upgrade, or correct the selector");
    }
    long upgraded = count(machines, MachineState.Upgraded);
    long failed = count(machines, MachineState.Failed);
    long upgrading = count(machines, MachineState.Upgrading);
    long pending = count(machines, MachineState.Pending);
    if (upgrading + pending > 0) {
      return new UpgradeVerdict(false, UpgradeReasons.UPGRADE_IN_PROGRESS, "upgrading to " + image + ": "
          + upgraded + "/" + machines.size() + " upgraded, " + upgrading + " upgrading, " + pending + " pending"
          + (failed > 0 ? ", " + failed + " failed" : ""));
    }
    if (failed > 0) {
      return new UpgradeVerdict(false, UpgradeReasons.UPGRADE_FAILED, "upgrade to " + image + " failed on "
          + failed + "/" + machines.size() + " machines: " + machines.stream()
              .filter(m -> MachineState.Failed.name().equals(m.state))
              .map(m -> m.inventory + " (" + m.message + ")")
              .collect(Collectors.joining(", "))
          + ". Fix: see each machine's failed-output; change the ManagedOSImage (image or envs) to try again");
    }
    return new UpgradeVerdict(true, UpgradeReasons.UPGRADE_COMPLETE, "all " + machines.size()
        + " targeted machines upgraded to " + image);
  }

  private static long count(List<ManagedOSImage.Machine> machines, MachineState state) {
    return machines.stream().filter(m -> state.name().equals(m.state)).count();
  }
}
