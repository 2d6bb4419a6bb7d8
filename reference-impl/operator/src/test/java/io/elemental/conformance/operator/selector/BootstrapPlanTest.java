package io.elemental.conformance.operator.selector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MachineInventory inventory() {
    MachineInventory inventory = new MachineInventory();
    inventory.getMetadata().setName("m-1234");
    inventory.getMetadata().setLabels(Map.of("pool", "edge", "elemental.cattle.io/Hostname", "node-1"));
    return inventory;
  }

  @Test
  void writesTheScriptNodeNameAndLabelsThenRunsTheScriptOnceGuarded() throws Exception {
    byte[] plan = BootstrapPlan.bytes("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), inventory());
    JsonNode json = JSON.readTree(plan);
    List<String> paths = new ArrayList<>();
    json.path("files").forEach(f -> paths.add(f.path("path").asText() + " " + f.path("permissions").asText()));
    assertThat(paths).containsExactly(
        "/var/lib/rancher/bootstrap.sh 0700",
        "/etc/rancher/rke2/config.yaml.d/99-elemental-name.yaml 0600",
        "/etc/rancher/rke2/config.yaml.d/99-elemental-inventory-labels.yaml 0600",
        "/etc/rancher/k3s/config.yaml.d/99-elemental-name.yaml 0600",
        "/etc/rancher/k3s/config.yaml.d/99-elemental-inventory-labels.yaml 0600",
        "/usr/local/etc/hostname 0644");
    assertThat(decoded(json.path("files").get(0))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(decoded(json.path("files").get(1))).isEqualTo("node-name: m-1234");
    assertThat(decoded(json.path("files").get(2)))
        .isEqualTo("node-label+:\n- elemental.cattle.io/Hostname=node-1\n- pool=edge\n");
    JsonNode run = json.path("instructions").get(1);
    assertThat(run.path("command").asText()).isEqualTo("bash");
    assertThat(run.path("args").get(1).asText()).isEqualTo(
        "[ -f /var/lib/rancher/bootstrap_done ] || /var/lib/rancher/bootstrap.sh && touch /var/lib/rancher/bootstrap_done");
    assertThat(run.path("name").asText()).isEqualTo("bootstrap");
    assertThat(run.path("saveOutput").asBoolean()).isTrue();
    assertThat(json.path("instructions").get(0).path("args").toString())
        .isEqualTo("[\"set-hostname\",\"--transient\",\"m-1234\"]");
  }

  @Test
  void theSameInputsMakeTheSamePlan() {
    byte[] script = "x".getBytes(StandardCharsets.UTF_8);
    assertThat(BootstrapPlan.checksum(BootstrapPlan.bytes(script, inventory())))
        .isEqualTo(BootstrapPlan.checksum(BootstrapPlan.bytes(script, inventory())));
  }

  private static String decoded(JsonNode file) {
    return new String(Base64.getDecoder().decode(file.path("content").asText()), StandardCharsets.UTF_8);
  }
}
