package io.elemental.conformance.operator.upgrade;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Optional;

/**
 * The system-agent instruction that upgrades a machine: {@code elemental upgrade --system <image>
 * --reboot}, with {@code spec.upgradeContainer.envs} as its environment ({@code K=V}, in the
 * order given). Its output is saved so a failure can be reported from {@code failed-output}.
 */
public record UpgradeInstruction(String image, List<String> env) {
  public static final String NAME = "elemental-upgrade";

  public UpgradeInstruction {
    env = List.copyOf(env);
  }

  /** Only {@code value} is read: {@code valueFrom} needs a pod, which the reference stack does not run. */
  public static UpgradeInstruction of(String image, ManagedOSImage.UpgradeContainer container) {
    List<EnvVar> envs = Optional.ofNullable(container).map(c -> c.envs).orElse(List.of());
    return new UpgradeInstruction(image, envs.stream()
        .filter(e -> e.getName() != null && !e.getName().isBlank())
        .map(e -> e.getName() + "=" + Optional.ofNullable(e.getValue()).orElse(""))
        .toList());
  }

  /** Fields in a fixed order, so the plan bytes (and their checksum) only change when the upgrade does. */
  public ObjectNode toJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode node = json.objectNode();
    node.put("name", NAME);
    node.put("command", "elemental");
    var args = node.putArray("args");
    args.add("upgrade").add("--system").add(image).add("--reboot");
    var envArray = node.putArray("env");
    env.forEach(envArray::add);
    node.put("saveOutput", true);
    return node;
  }
}
