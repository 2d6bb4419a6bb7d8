package io.elemental.conformance.operator.upgrade;

import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.applied;
import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.failed;
import static io.elemental.conformance.operator.upgrade.PlanSecretsFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.operator.inventory.PlanSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeSecretsTest {
  private static final UpgradeInstruction V2 = new UpgradeInstruction("127.0.0.1:5000/elemental/os:v2", List.of());

  @Test
  void desiredSetsPlanMaxFailuresAndTypeAndKeepsTheRest() {
    Secret current = applied(secret("m-a", "{}"));
    Secret desired = UpgradeSecrets.desired(current, V2);
    assertThat(PlanSecretsFixture.plan(desired)).contains("\"name\":\"elemental-upgrade\"");
    assertThat(PlanSecretData.text(desired, "max-failures")).isEqualTo("1");
    assertThat(desired.getMetadata().getAnnotations()).containsEntry(PlanSecrets.PLAN_TYPE_ANNOTATION, "upgrade");
    assertThat(desired.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(desired.getMetadata().getLabels()).containsEntry("elemental.cattle.io/managed", "true");
    assertThat(desired.getData().get("applied-checksum")).isEqualTo(current.getData().get("applied-checksum"));
    // The input is not modified.
    assertThat(PlanSecretsFixture.plan(current)).isEqualTo("{}");
    assertThat(current.getMetadata().getAnnotations()).containsEntry(PlanSecrets.PLAN_TYPE_ANNOTATION, "empty");
  }

  @Test
  void bootstrapAndResetPlansKeepTheirType() {
    assertThat(UpgradeSecrets.desired(secret("m-a", "{}", "bootstrap"), V2).getMetadata().getAnnotations())
        .containsEntry(PlanSecrets.PLAN_TYPE_ANNOTATION, "bootstrap");
    assertThat(UpgradeSecrets.desired(secret("m-a", "{}", "reset"), V2).getMetadata().getAnnotations())
        .containsEntry(PlanSecrets.PLAN_TYPE_ANNOTATION, "reset");
  }

  @Test
  void rewritingTheSameUpgradeChangesNothing() {
    Secret written = UpgradeSecrets.desired(secret("m-a", "{}"), V2);
    Secret again = UpgradeSecrets.desired(written, V2);
    assertThat(UpgradeSecrets.planWritten(written, again)).isTrue();
    assertThat(UpgradeSecrets.differs(written, again)).isFalse();
    assertThat(UpgradeSecrets.differs(secret("m-a", "{}"), written)).isTrue();
  }

  @Test
  void outcomeFollowsTheChecksumsOfTheCurrentPlan() {
    Secret written = UpgradeSecrets.desired(secret("m-a", "{}"), V2);
    assertThat(UpgradeSecrets.outcome(written).state()).isEqualTo(MachineState.Upgrading);
    assertThat(UpgradeSecrets.outcome(applied(written)).state()).isEqualTo(MachineState.Upgraded);
    // A checksum of an older plan says nothing about this one.
    Secret appliedBefore = applied(secret("m-a", "{}"));
    assertThat(UpgradeSecrets.outcome(UpgradeSecrets.desired(appliedBefore, V2)).state())
        .isEqualTo(MachineState.Upgrading);
    Secret failedBefore = failed(secret("m-a", "{}"), Map.of("elemental-upgrade", "boom"));
    assertThat(UpgradeSecrets.outcome(UpgradeSecrets.desired(failedBefore, V2)).state())
        .isEqualTo(MachineState.Upgrading);
  }

  @Test
  void failedOutputIsDecodedToTheUpgradesLastLine() {
    Secret written = UpgradeSecrets.desired(secret("m-a", "{}"), V2);
    UpgradeSecrets.Progress progress = UpgradeSecrets.outcome(failed(written, Map.of(
        "elemental-upgrade", "INFO pulling\r\nERRO image 127.0.0.1:5000/elemental/os:v2 not found\n  \n")));
    assertThat(progress.state()).isEqualTo(MachineState.Failed);
    assertThat(progress.message()).isEqualTo("ERRO image 127.0.0.1:5000/elemental/os:v2 not found");
  }

  @Test
  void failedWithoutUsableOutputSaysOnlyThatItFailed() {
    Secret written = UpgradeSecrets.desired(secret("m-a", "{}"), V2);
    assertThat(UpgradeSecrets.outcome(failed(written, Map.of("bootstrap", "x"))).message())
        .isEqualTo("the upgrade failed");
    assertThat(UpgradeSecrets.outcome(failed(written, Map.of("elemental-upgrade", " \n"))).message())
        .isEqualTo("the upgrade failed");
    assertThat(FailedOutputs.lastLine("not gzip".getBytes(StandardCharsets.UTF_8), "elemental-upgrade")).isEmpty();
    assertThat(FailedOutputs.lastLine(new byte[0], "elemental-upgrade")).isEmpty();
  }
}
