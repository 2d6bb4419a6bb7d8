package io.elemental.conformance.operator.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The plan that resets a machine whose MachineInventory is deleted (ELEMENTAL.md §5): a
 * cloud-config on COS_OEM that, booted in recovery, starts the reset; GRUB told to boot recovery
 * next; a reboot a minute later, so the agent reports the plan applied first and the operator
 * can let the inventory go.
 */
public final class ResetPlan {
  public static final String RESETTABLE_ANNOTATION = "elemental.cattle.io/resettable";
  public static final String TYPE = "reset";
  /** Where the plan puts the cloud-config the recovery system acts on. */
  public static final String CLOUD_CONFIG_PATH = "/oem/reset-cloud-config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResetPlan() {}

  /** Whether the registration's machines are reset when their inventory goes ({@code config.elemental.reset.enabled}). */
  static boolean enabled(MachineRegistration mr) {
    return mr.getSpec() != null && mr.getSpec().config != null && mr.getSpec().config.elemental != null
        && mr.getSpec().config.elemental.reset != null && Boolean.TRUE.equals(mr.getSpec().config.elemental.reset.enabled);
  }

  /** The plan's bytes: the same every time, so its checksum identifies it. */
  public static byte[] bytes() {
    ObjectNode plan = JSON.createObjectNode();
    plan.putArray("files").addObject()
        .put("path", CLOUD_CONFIG_PATH)
        .put("content", Base64.getEncoder().encodeToString(cloudConfig().getBytes(StandardCharsets.UTF_8)))
        .put("permissions", "0600");
    ArrayNode instructions = plan.putArray("instructions");
    ObjectNode next = instructions.addObject().put("name", "configure next boot to recovery mode")
        .put("command", "grub2-editenv");
    next.putArray("args").add("/oem/grubenv").add("set").add("next_entry=recovery");
    ObjectNode reboot = instructions.addObject().put("name", "schedule reboot").put("command", "shutdown");
    reboot.putArray("args").add("-r").add("+1");
    return plan.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A yip cloud-config: in recovery mode, once the network is up, reset and register as a new machine. */
  static String cloudConfig() {
    return """
        name: "Elemental reset"
        stages:
          network.after:
            - if: '[ -f /run/elemental/recovery_mode ]'
              commands:
                - systemctl start elemental-register-reset
        """;
  }
}
