package io.elemental.conformance.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DmidecodeTest {
  /** The start of `dmidecode` in a QEMU q35 guest with OVMF (dmidecode 3.4). */
  static final String QEMU_Q35 = """
      # dmidecode 3.4
      Getting SMBIOS data from sysfs.
      SMBIOS 3.0.0 present.
      Table at 0x7F8FC000.

      Handle 0x0000, DMI type 0, 26 bytes
      BIOS Information
      \tVendor: EDK II
      \tVersion: unknown
      \tRelease Date: 02/02/2022
      \tAddress: 0xE8000
      \tRuntime Size: 96 kB
      \tROM Size: 64 kB
      \tCharacteristics:
      \t\tBIOS characteristics not supported
      \t\tTargeted content distribution is supported
      \t\tUEFI is supported
      \t\tSystem is a virtual machine
      \tBIOS Revision: 0.0

      Handle 0x0100, DMI type 1, 27 bytes
      System Information
      \tManufacturer: QEMU
      \tProduct Name: Standard PC (Q35 + ICH9, 2009)
      \tVersion: pc-q35-7.2
      \tSerial Number: Not Specified
      \tUUID: 5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f
      \tWake-up Type: Power Switch
      \tSKU Number: Not Specified
      \tFamily: Not Specified

      Handle 0x1100, DMI type 17, 40 bytes
      Memory Device
      \tSize: 2 GB
      \tLocator: DIMM 0

      Handle 0x1101, DMI type 17, 40 bytes
      Memory Device
      \tSize: 2 GB
      \tLocator: DIMM 1

      Handle 0x0B00, DMI type 11, 5 bytes
      OEM Strings
      \tString 1: io.systemd.credential:foo=bar

      Handle 0x7F00, DMI type 127, 4 bytes
      End Of Table

      """;

  @Test
  void sectionsBecomeMapsOfFields() {
    Map<String, Object> smbios = Dmidecode.parse(QEMU_Q35);

    assertThat(smbios).containsKeys("BIOS Information", "System Information", "Memory Device", "OEM Strings");
    assertThat(smbios.get("System Information")).isEqualTo(Map.of(
        "Manufacturer", "QEMU", "Product Name", "Standard PC (Q35 + ICH9, 2009)", "Version", "pc-q35-7.2",
        "Serial Number", "Not Specified", "UUID", "5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f",
        "Wake-up Type", "Power Switch", "SKU Number", "Not Specified", "Family", "Not Specified"));
  }

  @Test
  void indentedValuesBecomeAListUnderTheirField() {
    @SuppressWarnings("unchecked")
    Map<String, Object> bios = (Map<String, Object>) Dmidecode.parse(QEMU_Q35).get("BIOS Information");

    assertThat(bios.get("Characteristics")).isEqualTo(List.of("BIOS characteristics not supported",
        "Targeted content distribution is supported", "UEFI is supported", "System is a virtual machine"));
    assertThat(bios.get("BIOS Revision")).isEqualTo("0.0");
  }

  @Test
  void aRepeatedSectionKeepsItsFirstOccurrence() {
    assertThat(Dmidecode.parse(QEMU_Q35).get("Memory Device")).isEqualTo(Map.of("Size", "2 GB", "Locator", "DIMM 0"));
  }

  @Test
  void thePreambleAndEmptyInputGiveNoSections() {
    assertThat(Dmidecode.parse("# dmidecode 3.4\n# No SMBIOS nor DMI entry point found, sorry.\n")).isEmpty();
    assertThat(Dmidecode.parse("")).isEmpty();
  }
}
