package io.elemental.conformance.harness.machine;

import io.elemental.conformance.node.register.MachineFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulated machine's firmware and NIC say about it: a QEMU q35 machine with OVMF, as
 * dmidecode would print it, one NIC, and the os-release of whatever it booted (the seed image's
 * until it boots something else).
 */
final class SimulatedHardware {
  private SimulatedHardware() {}

  /** {@code system} overrides or adds "System Information" fields. */
  static MachineFacts facts(String hostname, String uuid, String mac, Map<String, String> system,
      Map<String, String> ownLabels) {
    Map<String, Object> systemInformation = new LinkedHashMap<>(Map.of(
        "Manufacturer", "QEMU", "Product Name", "Standard PC (Q35 + ICH9, 2009)", "Version", "pc-q35-7.2",
        "Serial Number", "Not Specified", "UUID", uuid, "Family", "Not Specified"));
    systemInformation.putAll(system);
    Map<String, Object> smbios = Map.of(
        "System Information", systemInformation,
        "BIOS Information", Map.of("Vendor", "EDK II", "Version", "stable202302"));
    Map<String, Object> systemData = Map.of(
        "Runtime", Map.of("Hostname", hostname),
        "Network", Map.of("TotalNICs", "1", "NICs", Map.of("eth0", Map.of("Name", "eth0", "MacAddress", mac))));
    return new MachineFacts(uuid, List.of(new MachineFacts.Nic("eth0", mac, false)), smbios, systemData,
        Map.of("NAME", "Elemental reference OS", "ID", "elemental-reference", "VERSION_ID", "0.1"), ownLabels);
  }

  /** The same machine, now running an OS that says {@code osRelease}. */
  static MachineFacts withOsRelease(MachineFacts facts, Map<String, String> osRelease) {
    return new MachineFacts(facts.smbiosUuid(), facts.nics(), facts.smbios(), facts.systemData(), osRelease,
        facts.labels());
  }
}
