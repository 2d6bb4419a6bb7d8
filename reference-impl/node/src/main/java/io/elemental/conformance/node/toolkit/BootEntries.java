package io.elemental.conformance.node.toolkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names of GRUB's Elemental menu entries, and the order GRUB falls back through them:
 * {@code active}, then each {@code passive<N>} newest first, then {@code recovery}.
 */
public final class BootEntries {
  public static final String ACTIVE = "active";
  public static final String RECOVERY = "recovery";
  static final String PASSIVE_PREFIX = "passive";

  private BootEntries() {}

  public static String passive(int snapshot) {
    return PASSIVE_PREFIX + snapshot;
  }

  /** The fallback chain for these passive snapshots (newest first). */
  public static List<String> chain(List<Integer> passives) {
    List<String> chain = new ArrayList<>();
    chain.add(ACTIVE);
    passives.forEach(id -> chain.add(passive(id)));
    chain.add(RECOVERY);
    return chain;
  }

  /** The snapshot a passive entry boots. */
  public static Optional<Integer> passiveSnapshot(String entry) {
    if (!entry.startsWith(PASSIVE_PREFIX)) return Optional.empty();
    try {
      return Optional.of(Integer.parseInt(entry.substring(PASSIVE_PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code elemental.mode} of an entry: active, passive or recovery. */
  public static String mode(String entry) {
    return entry.startsWith(PASSIVE_PREFIX) ? "passive" : entry;
  }

  /** The value the grubenv's {@code passive_snaps} holds for GRUB: the ids, newest first, space-separated. */
  public static String passiveSnapsValue(List<Integer> passives) {
    return String.join(" ", passives.stream().map(String::valueOf).toList());
  }
}
