package io.elemental.conformance.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePlansTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UpgradeInstruction V2 = new UpgradeInstruction("127.0.0.1:5000/elemental/os:v2", List.of());

  private static final String BOOTSTRAP = """
      {"files":[{"path":"/var/lib/rancher/bootstrap.sh","content":"ZWNobw==","permissions":"0700"}],
       "instructions":[{"name":"bootstrap","command":"bash","args":["/var/lib/rancher/bootstrap.sh"]}],
       "periodicInstructions":[{"name":"ping","command":"true","periodSeconds":600}],
       "probes":{"kubelet":{"httpGet":{"url":"https://127.0.0.1:10250/healthz"},"timeoutSeconds":5}},
       "somethingNew":{"ratio":0.10}}""";

  @Test
  void emptyPlanGetsExactlyTheUpgradeInstruction() {
    assertThat(compose("{}", V2)).isEqualTo("{\"instructions\":[{\"name\":\"elemental-upgrade\",\"command\":\"elemental\","
        + "\"args\":[\"upgrade\",\"--system\",\"127.0.0.1:5000/elemental/os:v2\",\"--reboot\"],\"env\":[],"
        + "\"saveOutput\":true}]}");
    assertThat(new String(UpgradePlans.compose(new byte[0], V2), StandardCharsets.UTF_8)).isEqualTo(compose("{}", V2));
  }

  @Test
  void keepsEverythingElseAndAppendsTheUpgradeLast() throws Exception {
    JsonNode before = JSON.readTree(BOOTSTRAP);
    JsonNode after = JSON.readTree(compose(BOOTSTRAP, V2));
    assertThat(after.get("files")).isEqualTo(before.get("files"));
    assertThat(after.get("periodicInstructions")).isEqualTo(before.get("periodicInstructions"));
    assertThat(after.get("probes")).isEqualTo(before.get("probes"));
    assertThat(after.get("instructions")).hasSize(2);
    assertThat(after.get("instructions").get(0)).isEqualTo(before.get("instructions").get(0));
    assertThat(after.get("instructions").get(1).get("name").asText()).isEqualTo("elemental-upgrade");
    // Unknown fields and number text survive untouched.
    assertThat(compose(BOOTSTRAP, V2)).contains("\"somethingNew\":{\"ratio\":0.10}");
  }

  @Test
  void replacesAPreviousUpgradeInsteadOfAddingASecond() throws Exception {
    String withV1 = compose(BOOTSTRAP, new UpgradeInstruction("127.0.0.1:5000/elemental/os:v1", List.of("FORCE=true")));
    JsonNode instructions = JSON.readTree(compose(withV1, V2)).get("instructions");
    assertThat(instructions).hasSize(2);
    assertThat(instructions.get(1).get("args").get(2).asText()).isEqualTo("127.0.0.1:5000/elemental/os:v2");
    assertThat(instructions.get(1).get("env")).isEmpty();
    assertThat(compose(withV1, V2)).isEqualTo(compose(BOOTSTRAP, V2));
  }

  @Test
  void composingIsDeterministicAndAFixedPoint() {
    String once = compose(BOOTSTRAP, V2);
    assertThat(compose(BOOTSTRAP, V2)).isEqualTo(once);
    assertThat(compose(once, V2)).isEqualTo(once);
    // Pretty-printed input gives the same bytes once composed.
    assertThat(compose(once.replace(",", ",\n  "), V2)).isEqualTo(once);
  }

  @Test
  void envsBecomeKeyEqualsValueInOrder() throws Exception {
    ManagedOSImage.UpgradeContainer container = new ManagedOSImage.UpgradeContainer();
    container.envs = List.of(new EnvVar("UPGRADE_RECOVERY", "true", null), new EnvVar("FORCE", null, null));
    UpgradeInstruction upgrade = UpgradeInstruction.of("registry.example/os:v2", container);
    assertThat(upgrade.env()).containsExactly("UPGRADE_RECOVERY=true", "FORCE=");
    JsonNode instruction = JSON.readTree(compose("{}", upgrade)).get("instructions").get(0);
    assertThat(instruction.get("env").toString()).isEqualTo("[\"UPGRADE_RECOVERY=true\",\"FORCE=\"]");
    assertThat(instruction.get("saveOutput").asBoolean()).isTrue();
    assertThat(UpgradeInstruction.of("x/os:v2", null).env()).isEmpty();
  }

  @Test
  void aPlanThatIsNotAJsonObjectIsRefused() {
    assertThatThrownBy(() -> compose("[1]", V2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> compose("{\"instructions\":", V2)).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> compose("{\"instructions\":{}}", V2)).hasMessageContaining("not an array");
  }

  private static String compose(String plan, UpgradeInstruction upgrade) {
    return new String(UpgradePlans.compose(plan.getBytes(StandardCharsets.UTF_8), upgrade), StandardCharsets.UTF_8);
  }
}
