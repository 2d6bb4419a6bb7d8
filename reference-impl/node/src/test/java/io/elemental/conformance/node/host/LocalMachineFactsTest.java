package io.elemental.conformance.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.node.register.MachineFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMachineFactsTest {
  @TempDir
  Path root;

  @Test
  void gathersSmbiosNicsAndOsReleaseFromTheMachine() throws IOException {
    nic("lo", "00:00:00:00:00:00", true);
    nic("enp0s2", "52:54:00:12:34:56", false);
    nic("docker0", "02:42:ac:11:00:01", true);
    write("etc/os-release", "NAME=\"Elemental Reference OS\"\nID=elemental-reference\nVERSION_ID=\"v2\"\n"
        + "IMAGE=\"elemental/reference-os:v2\"\n");
    write("proc/sys/kernel/hostname", "live\n");

    MachineFacts facts = new LocalMachineFacts(root, Optional.of(DmidecodeTest.QEMU_Q35)).gather();

    assertThat(facts.smbiosUuid()).isEqualTo("5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f");
    assertThat(facts.nics()).containsExactly(
        new MachineFacts.Nic("docker0", "02:42:ac:11:00:01", true),
        new MachineFacts.Nic("enp0s2", "52:54:00:12:34:56", false),
        new MachineFacts.Nic("lo", "00:00:00:00:00:00", true));
    assertThat(facts.osRelease()).containsEntry("NAME", "Elemental Reference OS").containsEntry("VERSION_ID", "v2")
        .containsEntry("IMAGE", "elemental/reference-os:v2");
    assertThat(facts.systemData()).containsEntry("Runtime", Map.of("Hostname", "live"));
    assertThat(facts.systemData().get("Network")).isEqualTo(Map.of("TotalNICs", "1",
        "NICs", Map.of("enp0s2", Map.of("Name", "enp0s2", "MacAddress", "52:54:00:12:34:56"))));
    assertThat(facts.labels()).isEmpty();
  }

  @Test
  void withoutDmidecodeTheKernelsDmiCopyAnswers() throws IOException {
    write("sys/class/dmi/id/sys_vendor", "QEMU\n");
    write("sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
    write("sys/class/dmi/id/product_uuid", "11111111-2222-3333-4444-555555555555\n");
    write("sys/class/dmi/id/bios_vendor", "EDK II\n");

    MachineFacts facts = new LocalMachineFacts(root, Optional.empty()).gather();

    assertThat(facts.smbiosUuid()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(facts.smbios()).containsEntry("System Information", Map.of("Manufacturer", "QEMU",
        "Product Name", "Standard PC (Q35 + ICH9, 2009)", "UUID", "11111111-2222-3333-4444-555555555555"));
    assertThat(facts.smbios()).containsEntry("BIOS Information", Map.of("Vendor", "EDK II"));
    assertThat(facts.smbios()).doesNotContainKey("Chassis Information");
  }

  @Test
  void aPlaceholderUuidCountsAsNone() {
    MachineFacts facts = new LocalMachineFacts(root, Optional.of(DmidecodeTest.QEMU_Q35
        .replace("5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f", "Not Settable"))).gather();

    assertThat(facts.smbiosUuid()).isEmpty();
  }

  private void nic(String name, String mac, boolean virtual) throws IOException {
    // As in /sys: class/net/<name> links to the device, virtual ones under devices/virtual.
    Path device = root.resolve(virtual ? "sys/devices/virtual/net/" + name : "sys/devices/pci0000:00/net/" + name);
    Files.createDirectories(device);
    Files.writeString(device.resolve("address"), mac + "\n");
    Files.createDirectories(root.resolve("sys/class/net"));
    Files.createSymbolicLink(root.resolve("sys/class/net").resolve(name), device);
  }

  private void write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
