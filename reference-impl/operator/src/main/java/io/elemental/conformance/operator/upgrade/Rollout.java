package io.elemental.conformance.operator.upgrade;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which machines get the upgrade now: every targeted machine whose plan already holds it keeps
 * its state; the others get it, in inventory-name order, while fewer than {@code concurrency}
 * machines are {@link MachineState#Upgrading}. The rest wait as {@link MachineState#Pending}.
 */
public final class Rollout {
  private Rollout() {}

  /** A targeted inventory and its plan Secret (null while the inventory controller has not made it). */
  public record Target(String inventory, Secret secret) {}

  /**
   * One machine's state after this pass, and the Secret to write for it (null: nothing to write).
   * A written machine is reported {@link MachineState#Upgrading} once the write succeeds.
   */
  public record Step(String inventory, MachineState state, String message, Secret write) {
    public Optional<Secret> toWrite() {
      return Optional.ofNullable(write);
    }
  }

  /** A machine whose plan lacks the upgrade, at its place in the steps. */
  private record Waiting(int index, String inventory, Secret desired) {}

  /** {@code spec.concurrency}: absent means 1, and less than 1 is taken as 1 (0 would never upgrade). */
  public static int concurrency(Long requested) {
    if (requested == null || requested < 1) return 1;
    return (int) Math.min(requested, Integer.MAX_VALUE);
  }

  public static List<Step> plan(List<Target> targets, UpgradeInstruction upgrade, int concurrency) {
    List<Target> ordered = targets.stream().sorted(Comparator.comparing(Target::inventory)).toList();
    List<Step> steps = new ArrayList<>();
    List<Waiting> waiting = new ArrayList<>();
    int inFlight = 0;
    for (Target target : ordered) {
      if (target.secret() == null) {
        steps.add(new Step(target.inventory(), MachineState.Pending, "waiting for the machine's plan Secret", null));
        continue;
      }
      Secret desired;
      try {
        desired = UpgradeSecrets.desired(target.secret(), upgrade);
      } catch (IllegalArgumentException e) {
        steps.add(new Step(target.inventory(), MachineState.Failed, "cannot add the upgrade to plan Secret "
            + target.inventory() + ": " + e.getMessage() + ". Fix: correct or clear the Secret's plan", null));
        continue;
      }
      if (UpgradeSecrets.planWritten(target.secret(), desired)) {
        UpgradeSecrets.Progress progress = UpgradeSecrets.outcome(target.secret());
        if (progress.state().inFlight()) inFlight++;
        // Same plan, but max-failures or the type annotation were changed since: put them back.
        Secret fix = UpgradeSecrets.differs(target.secret(), desired) ? desired : null;
        steps.add(new Step(target.inventory(), progress.state(), progress.message(), fix));
      } else {
        waiting.add(new Waiting(steps.size(), target.inventory(), desired));
        steps.add(null);
      }
    }
    int slots = Math.max(0, concurrency - inFlight);
    for (int i = 0; i < waiting.size(); i++) {
      Waiting w = waiting.get(i);
      steps.set(w.index(), i < slots
          ? new Step(w.inventory(), MachineState.Upgrading, "upgrade plan written, waiting for the machine's agent",
              w.desired())
          : new Step(w.inventory(), MachineState.Pending, "waiting for an upgrade slot (concurrency " + concurrency
              + ")", null));
    }
    return steps;
  }
}
