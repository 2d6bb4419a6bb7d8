package io.elemental.conformance.node.toolkit;

/**
 * What the booted system does with its health checks' verdict (the real stack's
 * elemental-boot-assessment service): a healthy boot ends the assessment; an unhealthy one
 * leaves {@code last_boot_attempt} set and reboots, so GRUB picks the next entry of the chain.
 *
 * <p>Our reading of the real rules, where its sources leave it open: a healthy boot that is not
 * {@code active} (GRUB fell back) makes that entry the {@code saved_entry}, so later reboots keep
 * the working system instead of trying the broken one again, and leaves
 * {@link ImmutableRoot#UPGRADE_FAILURE}; the next upgrade clears {@code saved_entry}.
 */
public final class BootAssessment {
  private BootAssessment() {}

  /** Updates {@code env} (not written) after a healthy boot of {@code entry}; true when it fell back. */
  public static boolean recordHealthy(GrubEnv env, String entry) {
    boolean fellBack = !BootEntries.ACTIVE.equals(entry) && "yes".equals(env.get(BootSelection.ASSESSMENT));
    env.unset(BootSelection.LAST_ATTEMPT);
    env.unset(BootSelection.ASSESSMENT);
    if (fellBack) env.set(BootSelection.SAVED_ENTRY, entry);
    return fellBack;
  }
}
