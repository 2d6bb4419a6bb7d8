package io.elemental.conformance.node.toolkit;

import java.util.List;

/**
 * Which entry GRUB boots, in Java: the rules {@link GrubConfig}'s script implements, for the
 * simulated firmware of @sim (the VM tier runs the script itself).
 *
 * <ol>
 *   <li>{@code next_entry} if set, for this one boot (it is cleared), else {@code saved_entry}
 *       if set, else {@code active};
 *   <li>under boot assessment ({@code boot_assessment_check=yes}): if {@code last_boot_attempt}
 *       is set, the previous attempt never reported healthy, so the entry after it in the
 *       fallback chain is chosen instead; the choice is saved as {@code last_boot_attempt} and the
 *       kernel gets {@code elemental.health_check};
 *   <li>an entry that cannot boot (its image is missing or broken) falls through to the next of
 *       the chain, as GRUB's {@code fallback} list does.
 * </ol>
 */
public final class BootSelection {
  public static final String NEXT_ENTRY = "next_entry";
  public static final String SAVED_ENTRY = "saved_entry";
  public static final String ASSESSMENT = "boot_assessment_check";
  public static final String LAST_ATTEMPT = "last_boot_attempt";
  public static final String PASSIVE_SNAPS = "passive_snaps";
  public static final String EXTRA_CMDLINE = "extra_cmdline";

  /** The chosen entry, what GRUB tries after it, and whether the boot is under assessment. */
  public record Choice(String entry, List<String> fallback, boolean healthCheck) {}

  private BootSelection() {}

  /** Chooses, and updates {@code env} (not written) as GRUB's {@code save_env} would. */
  public static Choice choose(GrubEnv env) {
    List<String> chain = BootEntries.chain(passiveSnaps(env));
    String entry;
    if (env.isSet(NEXT_ENTRY)) {
      entry = env.get(NEXT_ENTRY);
      env.unset(NEXT_ENTRY);
    } else if (env.isSet(SAVED_ENTRY)) {
      entry = env.get(SAVED_ENTRY);
    } else {
      entry = BootEntries.ACTIVE;
    }
    boolean assessed = "yes".equals(env.get(ASSESSMENT));
    if (assessed) {
      if (env.isSet(LAST_ATTEMPT)) entry = after(chain, env.get(LAST_ATTEMPT));
      env.set(LAST_ATTEMPT, entry);
    }
    return new Choice(entry, fallbackAfter(chain, entry), assessed);
  }

  static List<Integer> passiveSnaps(GrubEnv env) {
    String value = env.get(PASSIVE_SNAPS).trim();
    if (value.isEmpty()) return List.of();
    return java.util.Arrays.stream(value.split("\\s+")).map(Integer::parseInt).toList();
  }

  private static String after(List<String> chain, String entry) {
    int at = chain.indexOf(entry);
    return at < 0 || at + 1 >= chain.size() ? BootEntries.RECOVERY : chain.get(at + 1);
  }

  private static List<String> fallbackAfter(List<String> chain, String entry) {
    int at = chain.indexOf(entry);
    return at < 0 ? List.of(BootEntries.RECOVERY) : chain.subList(at + 1, chain.size());
  }
}
