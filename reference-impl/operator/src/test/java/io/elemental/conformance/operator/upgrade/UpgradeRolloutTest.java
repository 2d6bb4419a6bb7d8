package io.elemental.conformance.operator.upgrade;

import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.applied;
import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.failed;
import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeRolloutTest {
  private static final UpgradeInstruction V2 = new UpgradeInstruction("127.0.0.1:5000/elemental/os:v2", List.of());

  @Test
  void concurrencyDefaultsToOneAndIsAtLeastOne() {
    assertThat(Rollout.concurrency(null)).isEqualTo(1);
    assertThat(Rollout.concurrency(0L)).isEqualTo(1);
    assertThat(Rollout.concurrency(3L)).isEqualTo(3);
    assertThat(Rollout.concurrency(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void firstMachinesByNameGetTheSlots() {
    List<Rollout.Step> steps = Rollout.plan(List.of(target("m-c"), target("m-a"), target("m-b")), V2, 2);
    assertThat(steps).extracting(Rollout.Step::inventory).containsExactly("m-a", "m-b", "m-c");
    assertThat(steps).extracting(Rollout.Step::state)
        .containsExactly(MachineState.Upgrading, MachineState.Upgrading, MachineState.Pending);
    assertThat(steps.get(0).toWrite()).isPresent();
    assertThat(steps.get(2).toWrite()).isEmpty();
    assertThat(steps.get(2).message()).contains("concurrency 2");
  }

  @Test
  void anUpgradingMachineHoldsItsSlotUntilTheAgentReports() {
    Secret aWritten = written("m-a");
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", aWritten), target("m-b")), V2, 1);
    assertThat(steps).extracting(Rollout.Step::state).containsExactly(MachineState.Upgrading, MachineState.Pending);
    // Nothing to write: the plan already holds the upgrade.
    assertThat(steps.get(0).toWrite()).isEmpty();

    steps = Rollout.plan(List.of(new Rollout.Target("m-a", applied(aWritten)), target("m-b")), V2, 1);
    assertThat(steps).extracting(Rollout.Step::state).containsExactly(MachineState.Upgraded, MachineState.Upgrading);
    assertThat(steps.get(1).toWrite()).isPresent();
  }

  @Test
  void aFailedMachineFreesItsSlotAndReportsTheUpgradeOutput() {
    Secret aFailed = failed(written("m-a"), Map.of(
        "bootstrap", "ok\n",
        "elemental-upgrade", "pulling 127.0.0.1:5000/elemental/os:v2\nerror: no space left on device\n\n"));
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", aFailed), target("m-b")), V2, 1);
    assertThat(steps.get(0).state()).isEqualTo(MachineState.Failed);
    assertThat(steps.get(0).message()).isEqualTo("error: no space left on device");
    assertThat(steps.get(1).state()).isEqualTo(MachineState.Upgrading);
  }

  @Test
  void aMachineWithoutItsPlanSecretWaitsWithoutTakingASlot() {
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", null), target("m-b")), V2, 1);
    assertThat(steps).extracting(Rollout.Step::state).containsExactly(MachineState.Pending, MachineState.Upgrading);
    assertThat(steps.get(0).message()).contains("plan Secret");
  }

  @Test
  void aPlanThatCannotHoldTheUpgradeIsReportedAsFailed() {
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", secret("m-a", "not json"))), V2, 1);
    assertThat(steps.get(0).state()).isEqualTo(MachineState.Failed);
    assertThat(steps.get(0).message()).contains("plan Secret m-a").contains("not JSON").contains("Fix:");
    assertThat(steps.get(0).toWrite()).isEmpty();
  }

  @Test
  void aNewImageIsWrittenAgainEvenAfterSuccess() {
    Secret upgradedToV1 = applied(UpgradeSecrets.desired(secret("m-a", "{}"),
        new UpgradeInstruction("127.0.0.1:5000/elemental/os:v1", List.of())));
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", upgradedToV1)), V2, 1);
    assertThat(steps.get(0).state()).isEqualTo(MachineState.Upgrading);
    assertThat(PlanSecretsFixture.plan(steps.get(0).write())).contains("os:v2").doesNotContain("os:v1");
  }

  @Test
  void aChangedMaxFailuresIsPutBackWithoutRestartingTheUpgrade() {
    Secret done = applied(written("m-a"));
    done.getData().put("max-failures", PlanSecretsFixture.b64("5".getBytes()));
    List<Rollout.Step> steps = Rollout.plan(List.of(new Rollout.Target("m-a", done)), V2, 1);
    assertThat(steps.get(0).state()).isEqualTo(MachineState.Upgraded);
    assertThat(steps.get(0).toWrite()).isPresent();
    assertThat(PlanSecretData.text(steps.get(0).write(), "max-failures")).isEqualTo("1");
    assertThat(PlanSecretsFixture.plan(steps.get(0).write())).isEqualTo(PlanSecretsFixture.plan(done));
  }

  private static Rollout.Target target(String name) {
    return new Rollout.Target(name, secret(name, "{}"));
  }

  private static Secret written(String name) {
    return UpgradeSecrets.desired(secret(name, "{}"), V2);
  }
}
