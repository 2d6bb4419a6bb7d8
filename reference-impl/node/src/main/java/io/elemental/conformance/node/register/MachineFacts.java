package io.elemental.conformance.node.register;

import java.util.List;
import java.util.Map;

/**
 * What a machine tells the operator about itself: SMBIOS (dmidecode as a nested map), the
 * system-data label tree, /etc/os-release, its network interfaces, and labels of its own.
 * Gathered from the hardware inside a VM; made up per machine in the @sim tier.
 */
public record MachineFacts(
    String smbiosUuid,
    List<Nic> nics,
    Map<String, Object> smbios,
    Map<String, Object> systemData,
    Map<String, String> osRelease,
    Map<String, String> labels) {

  public record Nic(String name, String mac, boolean virtual) {}
}
