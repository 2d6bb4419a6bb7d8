package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryPartOfAPlan() {
    Plan plan = Plan.parse(utf8("""
        {
          "files": [
            {"path": "/var/lib/rancher/bootstrap.sh", "content": "ZWNobyBoaQo=", "permissions": "0700"},
            {"path": "/etc/x", "directory": true},
            {"path": "/tmp/old", "action": "delete"}
          ],
          "instructions": [
            {"name": "bootstrap", "command": "sh", "args": ["-c", "echo hi"], "env": ["A=1"],
             "saveOutput": true, "image": "rancher/system-agent-installer-rke2:v1"}
          ],
          "periodicInstructions": [{"name": "status", "command": "true"}],
          "probes": {"kubelet": {"initialDelaySeconds": 1, "timeoutSeconds": 5, "successThreshold": 1,
                                 "failureThreshold": 2, "httpGet": {"url": "https://127.0.0.1:10250/healthz",
                                 "insecure": true}}}
        }
        """));

    assertThat(plan.files()).hasSize(3);
    assertThat(plan.files().get(0).path()).isEqualTo("/var/lib/rancher/bootstrap.sh");
    assertThat(plan.files().get(0).permissions()).isEqualTo("0700");
    assertThat(plan.files().get(1).directory()).isTrue();
    assertThat(plan.files().get(2).isDelete()).isTrue();
    Plan.Instruction instruction = plan.instructions().get(0);
    assertThat(instruction.name()).isEqualTo("bootstrap");
    assertThat(instruction.command()).isEqualTo("sh");
    assertThat(instruction.args()).containsExactly("-c", "echo hi");
    assertThat(instruction.env()).containsExactly("A=1");
    assertThat(instruction.saveOutput()).isTrue();
    assertThat(instruction.image()).startsWith("rancher/");
    assertThat(plan.periodicInstructions().get(0).effectivePeriodSeconds()).isEqualTo(600);
    assertThat(plan.probes().get("kubelet").failureThreshold()).isEqualTo(2);
    assertThat(plan.probes().get("kubelet").httpGet().url()).endsWith("/healthz");
    assertThat(plan.probes().get("kubelet").httpGet().insecure()).isTrue();
  }

  @Test
  void theEmptyPlanHasEmptyListsNotNulls() {
    Plan plan = Plan.parse(utf8("{}"));
    assertThat(plan).isEqualTo(Plan.empty());
    assertThat(plan.files()).isEmpty();
    assertThat(plan.instructions()).isEmpty();
    assertThat(plan.periodicInstructions()).isEmpty();
    assertThat(plan.probes()).isEmpty();
    assertThat(Plan.parse(utf8("{\"instructions\":[{\"command\":\"true\"}]}")).instructions().get(0).args())
        .isEmpty();
  }

  @Test
  void ignoresUnknownFields() {
    Plan plan = Plan.parse(utf8("{\"nodeName\":\"x\",\"instructions\":[{\"name\":\"a\",\"command\":\"true\","
        + "\"future\":{\"deep\":[1]}}],\"files\":[{\"path\":\"/a\",\"uid\":0,\"gid\":0,\"mtime\":1}]}"));
    assertThat(plan.instructions()).extracting(Plan.Instruction::name).containsExactly("a");
    assertThat(plan.files()).extracting(Plan.PlanFile::path).containsExactly("/a");
  }

  @Test
  void malformedJsonNamesTheCause() {
    assertThatThrownBy(() -> Plan.parse(utf8("{\"instructions\": [")))
        .isInstanceOf(PlanFormatException.class)
        .hasMessageContaining("plan is not valid plan JSON")
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> Plan.parse(utf8("{\"instructions\": \"not a list\"}")))
        .isInstanceOf(PlanFormatException.class)
        .hasMessageContaining("not valid plan JSON");
    assertThatThrownBy(() -> Plan.parse(utf8("{} trailing")))
        .isInstanceOf(PlanFormatException.class);
  }

  @Test
  void emptyOrNullIsNotAPlan() {
    assertThatThrownBy(() -> Plan.parse(new byte[0]))
        .isInstanceOf(PlanFormatException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> Plan.parse(utf8("null")))
        .isInstanceOf(PlanFormatException.class).hasMessageContaining("null");
  }
}
