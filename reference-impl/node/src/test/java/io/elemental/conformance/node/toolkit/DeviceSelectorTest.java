package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elemental.conformance.api.v1beta1.InstallConfig.DeviceSelectorRequirement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceSelectorTest {
  private static final long GIB = 1L << 30;
  private static final List<BlockDevice> DISKS = List.of(disk("/dev/vdb", 64 * GIB), disk("/dev/vda", 8 * GIB),
      disk("/dev/vdc", 32 * GIB));

  @ParameterizedTest(name = "{0} picks {1}")
  @CsvSource(delimiter = '|', value = {
      "Size Gt 10Gi                | /dev/vdb",
      "Size Lt 10Gi                | /dev/vda",
      "Size Gt 10Gi; Size Lt 40G   | /dev/vdc",
      "Name In vdc,/dev/vda        | /dev/vda",
      "Name NotIn vda,vdb          | /dev/vdc",
      "Size Gt 1.5Ti               | none",
      "Size Gt 34359738367         | /dev/vdb",
  })
  void picksTheFirstMatchingDiskByName(String rules, String expected) {
    DeviceSelector selector = DeviceSelector.of(parse(rules));
    if (expected.equals("none")) {
      assertThatThrownBy(() -> selector.pick(DISKS)).isInstanceOf(ToolkitException.class)
          .hasMessageContaining("no disk matches install.device-selector [Size Gt 1.5Ti]")
          .hasMessageContaining("/dev/vda (8192 MiB)");
    } else {
      assertThat(selector.pick(DISKS).name()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(delimiter = '|', value = {
      "Size In vda       | In and NotIn compare names",
      "Name Gt 10Gi      | Gt and Lt compare sizes",
      "Name Like vda     | the operators are In, NotIn, Gt and Lt",
      "Size Gt ten       | 'ten' is not a size",
      "Size Gt 1Gi,2Gi   | exactly one size",
  })
  void malformedRulesAreRefusedBeforeAnyDiskIsLookedAt(String rules, String reason) {
    assertThatThrownBy(() -> DeviceSelector.of(parse(rules))).isInstanceOf(ToolkitException.class)
        .hasMessageContaining(reason).hasMessageContaining("Fix:");
  }

  @Test
  void registrationAnswerWithASelectorAndACloudConfig() {
    RegistrationInstall install = RegistrationInstall.from("""
        elemental:
          install:
            device-selector:
            - {key: Size, operator: Gt, values: [10Gi]}
            reboot: true
        cloud-config:
          users:
          - name: operator
        """).orElseThrow();
    MachineDisks disks = new MachineDisks() {
      @Override
      public BlockDevice named(String name) {
        throw new AssertionError("no device named in the answer");
      }

      @Override
      public List<BlockDevice> all() {
        return DISKS;
      }
    };
    assertThat(install.device(disks).name()).isEqualTo("/dev/vdb");
    var files = install.oemFiles("url: x".getBytes(), java.util.Optional.empty());
    assertThat(files).containsOnlyKeys("registration/config.yaml", "elemental-cloud-init.yaml");
    assertThat(new String(files.get("elemental-cloud-init.yaml"))).startsWith("#cloud-config\nusers:\n")
        .contains("name: \"operator\"");
  }

  @Test
  void aYipCloudConfigIsWrittenAsItIs() {
    RegistrationInstall install = RegistrationInstall.from("""
        elemental: {install: {device: /dev/vda}}
        cloud-config: {stages: {boot: [{commands: [echo hi]}]}}
        """).orElseThrow();
    assertThat(install.cloudConfig().orElseThrow()).startsWith("stages:");
  }

  @Test
  void anAnswerWithoutDeviceOrSelectorAsksForNoInstall() {
    assertThat(RegistrationInstall.from("elemental: {install: {reboot: true}}")).isEmpty();
  }

  private static List<DeviceSelectorRequirement> parse(String rules) {
    return Arrays.stream(rules.split(";")).map(String::strip).map(rule -> {
      String[] parts = rule.split(" ");
      DeviceSelectorRequirement r = new DeviceSelectorRequirement();
      r.key = parts[0];
      r.operator = parts[1];
      r.values = List.of(parts[2].split(","));
      return r;
    }).toList();
  }

  private static BlockDevice disk(String name, long bytes) {
    return new BlockDevice() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long sizeBytes() {
        return bytes;
      }

      @Override
      public Partitions partition(DiskLayout layout) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Partitions open() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
