package io.elemental.conformance.node.cloudconfig;

import java.util.List;
import java.util.Map;

/**
 * One cloud-config file as yip reads it: an optional {@code name} and its {@code stages}, each a
 * list of steps run in order. A {@code #cloud-config} file is translated into this form
 * ({@link CloudInitFile}).
 *
 * @param warnings unknown or unsupported keys, each with the stage and step they are in (empty
 *     for top-level keys); the runner prints those of the stage it runs
 */
public record YipConfig(String name, Map<String, List<Step>> stages, List<KeyWarning> warnings) {
  public YipConfig {
    stages = Map.copyOf(stages);
    warnings = List.copyOf(warnings);
  }

  public List<Step> steps(String stage) {
    return stages.getOrDefault(stage, List.of());
  }

  /**
   * A key the runner does not apply. {@code stage} is empty for a file-level key, then
   * {@code step} is too.
   */
  public record KeyWarning(String stage, String step, String message) {}
}
