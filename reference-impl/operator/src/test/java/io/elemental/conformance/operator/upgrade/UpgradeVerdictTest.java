package io.elemental.conformance.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeVerdictTest {
  private static final String IMAGE = "127.0.0.1:5000/elemental/os:v2";

  @Test
  void noMachinesTargeted() {
    UpgradeVerdict empty = UpgradeVerdict.of(List.of(), IMAGE, true, "fleet-default");
    assertThat(empty.ready()).isFalse();
    assertThat(empty.reason()).isEqualTo("NoMachinesTargeted");
    assertThat(empty.message()).contains("spec.nodeSelector is empty");
    assertThat(UpgradeVerdict.of(List.of(), IMAGE, false, "fleet-default").message())
        .contains("no MachineInventory in namespace fleet-default matches");
  }

  @Test
  void completeOnlyWhenEveryMachineIsUpgraded() {
    UpgradeVerdict done = UpgradeVerdict.of(List.of(m("a", "Upgraded"), m("b", "Upgraded")), IMAGE, false, "ns");
    assertThat(done.ready()).isTrue();
    assertThat(done.reason()).isEqualTo("UpgradeComplete");
    assertThat(done.message()).isEqualTo("all 2 targeted machines upgraded to " + IMAGE);
  }

  @Test
  void inProgressWhileAnyIsPendingOrUpgradingEvenWithFailures() {
    UpgradeVerdict verdict = UpgradeVerdict.of(List.of(m("a", "Failed"), m("b", "Upgraded"), m("c", "Pending")),
        IMAGE, false, "ns");
    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.reason()).isEqualTo("UpgradeInProgress");
    assertThat(verdict.message()).contains("1/3 upgraded, 0 upgrading, 1 pending, 1 failed");
    assertThat(UpgradeVerdict.of(List.of(m("a", "Upgrading")), IMAGE, false, "ns").reason())
        .isEqualTo("UpgradeInProgress");
  }

  @Test
  void failedNamesTheMachinesAndWhy() {
    ManagedOSImage.Machine a = m("a", "Failed");
    a.message = "no space left on device";
    UpgradeVerdict verdict = UpgradeVerdict.of(List.of(a, m("b", "Upgraded")), IMAGE, false, "ns");
    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.reason()).isEqualTo("UpgradeFailed");
    assertThat(verdict.message()).contains("failed on 1/2 machines: a (no space left on device)").contains("Fix:");
  }

  private static ManagedOSImage.Machine m(String inventory, String state) {
    return new ManagedOSImage.Machine(inventory, state, "");
  }
}
