package io.elemental.conformance.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplaterTest {
  private final Templater templater = new Templater(Map.of(
      "System Information", Map.of("Manufacturer", "QEMU", "Serial Number", "SN 42/x"),
      "CPU", Map.of("TotalCores", "2", "Capabilities", List.of("fpu", "vme")),
      "Runtime", Map.of("Hostname", "node-1")));

  @Test
  void walksTheMergedTree() throws Exception {
    assertThat(templater.fill("${System Information/Manufacturer}-${Runtime/Hostname}")).isEqualTo("QEMU-node-1");
    assertThat(templater.fill("no placeholders")).isEqualTo("no placeholders");
  }

  @Test
  void missingPathsAndNonStringLeavesAreNotFound() {
    assertThatThrownBy(() -> templater.fill("${System Information/Nope}")).hasMessageContaining("value not found");
    assertThatThrownBy(() -> templater.fill("${CPU/Capabilities}")).hasMessageContaining("value not found");
    assertThatThrownBy(() -> templater.fill("${CPU}")).hasMessageContaining("value not found");
  }

  @Test
  void randomTemplates() throws Exception {
    assertThat(templater.fill("${Random/UUID}")).matches("[0-9a-f-]{36}");
    assertThat(templater.fill("${Random/Hex/7}")).matches("[0-9a-f]{7}");
    assertThat(templater.fill("${Random/Hex/32}")).matches("[0-9a-f]{32}");
    assertThat(Integer.parseInt(templater.fill("${Random/Int/10}"))).isBetween(0, 9);
    assertThatThrownBy(() -> templater.fill("${Random/Hex/33}")).hasMessageContaining("Random");
    assertThatThrownBy(() -> templater.fill("${Random/Int/x}")).hasMessageContaining("Random");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QEMU Standard PC (Q35 + ICH9, 2009)|qemu-standard-pc-q35-ich9-2009",
      "--a__b..c--|a-b..c",
      "UPPER.lower|upper.lower",
      "0123456789012345678901234567890123456789012345678901234567-89|0123456789012345678901234567890123456789012345678901234567"})
  void inventoryNamesAreSanitised(String rendered, String expected) {
    assertThat(Names.inventoryName(rendered)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SN 42/x|SN-42-x",
      "Keep_Under.Scores|Keep_Under.Scores",
      "  spaced  |spaced"})
  void labelValuesKeepCaseAndUnderscores(String rendered, String expected) {
    assertThat(Names.labelValue(rendered)).isEqualTo(expected);
  }
}
