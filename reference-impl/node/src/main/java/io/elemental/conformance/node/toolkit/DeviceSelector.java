package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.api.v1beta1.InstallConfig.DeviceSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code install.device-selector}: every rule must hold for a disk to be picked. {@code Name}
 * takes {@code In} / {@code NotIn} a list of names ({@code vda} or {@code /dev/vda}); {@code Size}
 * takes {@code Gt} / {@code Lt} one quantity. Rules are checked before any disk is looked at,
 * so a malformed selector is reported as such and not as "no disk matches".
 *
 * <p>Where several disks match, the real client returns whichever its map iteration yields; this
 * one picks the first by name, so the same machine always installs to the same disk.
 */
public final class DeviceSelector {
  private final List<Rule> rules;

  private DeviceSelector(List<Rule> rules) {
    this.rules = rules;
  }

  public static DeviceSelector of(List<DeviceSelectorRequirement> requirements) {
    List<Rule> rules = new ArrayList<>();
    for (DeviceSelectorRequirement r : requirements) rules.add(Rule.of(r));
    return new DeviceSelector(List.copyOf(rules));
  }

  /** The disk to install to, or a failure naming the rules and the disks there are. */
  public BlockDevice pick(List<BlockDevice> disks) {
    return disks.stream().sorted(Comparator.comparing(BlockDevice::name)).filter(this::matches).findFirst()
        .orElseThrow(() -> new ToolkitException("no disk matches install.device-selector " + this
            + "; this machine has " + describe(disks) + ". Fix: change the MachineRegistration's"
            + " install.device-selector, or name the disk in install.device"));
  }

  boolean matches(BlockDevice disk) {
    return rules.stream().allMatch(rule -> rule.test(disk));
  }

  @Override
  public String toString() {
    return rules.toString();
  }

  private static String describe(List<BlockDevice> disks) {
    if (disks.isEmpty()) return "no disks";
    List<String> out = new ArrayList<>();
    for (BlockDevice d : disks) out.add(d.name() + " (" + d.sizeBytes() / (1L << 20) + " MiB)");
    return String.join(", ", out);
  }

  private record Rule(String key, String operator, List<String> values, List<String> names, long bytes) {
    static Rule of(DeviceSelectorRequirement r) {
      String key = Objects.requireNonNullElse(r.key, "");
      String operator = Objects.requireNonNullElse(r.operator, "");
      List<String> values = r.values == null ? List.of() : r.values;
      switch (operator) {
        case "In", "NotIn" -> {
          if (!key.equals("Name")) throw invalid(key, operator, "In and NotIn compare names: use key Name");
          return new Rule(key, operator, values, values.stream().map(Rule::bare).toList(), 0);
        }
        case "Gt", "Lt" -> {
          if (!key.equals("Size")) throw invalid(key, operator, "Gt and Lt compare sizes: use key Size");
          if (values.size() != 1) throw invalid(key, operator, "give exactly one size in values");
          return new Rule(key, operator, values, List.of(), ByteQuantity.parse(values.get(0)));
        }
        default -> throw invalid(key, operator, "the operators are In, NotIn, Gt and Lt");
      }
    }

    boolean test(BlockDevice disk) {
      return switch (operator) {
        case "In" -> names.contains(bare(disk.name()));
        case "NotIn" -> !names.contains(bare(disk.name()));
        case "Gt" -> disk.sizeBytes() > bytes;
        default -> disk.sizeBytes() < bytes;
      };
    }

    private static String bare(String name) {
      return name.startsWith("/dev/") ? name.substring("/dev/".length()) : name;
    }

    private static ToolkitException invalid(String key, String operator, String fix) {
      return new ToolkitException("install.device-selector: rule {key: " + key + ", operator: " + operator
          + "} is not valid. Fix: " + fix);
    }

    @Override
    public String toString() {
      return key + " " + operator + " " + String.join(",", values);
    }
  }
}
