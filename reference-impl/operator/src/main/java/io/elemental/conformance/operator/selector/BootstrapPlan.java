package io.elemental.conformance.operator.selector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.operator.inventory.PlanSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plan that hands an adopted machine to its cluster (ELEMENTAL.md §5), as upstream's
 * machineselector controller writes it: the Machine's bootstrap script as
 * {@code /var/lib/rancher/bootstrap.sh}, the node name (the inventory's) and the inventory's labels for
 * RKE2 and K3s, the hostname; then the transient hostname set, and the script run once: guarded by
 * {@code /var/lib/rancher/bootstrap_done}, which it leaves behind when it succeeds, so a re-applied plan
 * (every agent start force-applies its plan) does not run it again.
 *
 * <p>Differs from upstream in one point: the guarded instruction is named {@code bootstrap} and saves its
 * output, so a failing bootstrap script's output reaches {@code failed-output} (upstream's has no name and
 * no saveOutput, so the plan Secret records only that it failed).
 */
public final class BootstrapPlan {
  public static final String TYPE = "bootstrap";
  public static final String PLAN_TYPE_ANNOTATION = PlanSecrets.PLAN_TYPE_ANNOTATION;
  public static final String SCRIPT = "/var/lib/rancher/bootstrap.sh";
  public static final String DONE = "/var/lib/rancher/bootstrap_done";
  public static final String INSTRUCTION = "bootstrap";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BootstrapPlan() {}

  public static byte[] bytes(byte[] bootstrapScript, MachineInventory inventory) {
    String name = inventory.getMetadata().getName();
    String labels = labelsYaml(Optional.ofNullable(inventory.getMetadata().getLabels()).orElse(Map.of()));
    ObjectNode plan = JSON.createObjectNode();
    ArrayNode files = plan.putArray("files");
    file(files, SCRIPT, bootstrapScript, "0700");
    file(files, "/etc/rancher/rke2/config.yaml.d/99-elemental-name.yaml", utf8("node-name: " + name), "0600");
    file(files, "/etc/rancher/rke2/config.yaml.d/99-elemental-inventory-labels.yaml", utf8(labels), "0600");
    file(files, "/etc/rancher/k3s/config.yaml.d/99-elemental-name.yaml", utf8("node-name: " + name), "0600");
    file(files, "/etc/rancher/k3s/config.yaml.d/99-elemental-inventory-labels.yaml", utf8(labels), "0600");
    file(files, "/usr/local/etc/hostname", utf8(name), "0644");
    ArrayNode instructions = plan.putArray("instructions");
    ObjectNode hostname = instructions.addObject().put("name", "configure hostname").put("command", "hostnamectl");
    hostname.putArray("args").add("set-hostname").add("--transient").add(name);
    ObjectNode bootstrap = instructions.addObject().put("name", INSTRUCTION).put("command", "bash")
        .put("saveOutput", true);
    bootstrap.putArray("args").add("-c").add("[ -f " + DONE + " ] || " + SCRIPT + " && touch " + DONE);
    return (plan.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  public static String checksum(byte[] plan) {
    return PlanSecrets.checksum(plan);
  }

  /** {@code node-label+:} (the '+' appends to RKE2's and K3s' own labels), one {@code key=value} each, sorted. */
  static String labelsYaml(Map<String, String> labels) {
    if (labels.isEmpty()) return "node-label+: []\n";
    StringBuilder out = new StringBuilder("node-label+:\n");
    new TreeMap<>(labels).forEach((k, v) -> out.append("- ").append(k).append('=').append(v).append('\n'));
    return out.toString();
  }

  private static void file(ArrayNode files, String path, byte[] content, String permissions) {
    files.addObject().put("content", Base64.getEncoder().encodeToString(content)).put("path", path)
        .put("permissions", permissions);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
