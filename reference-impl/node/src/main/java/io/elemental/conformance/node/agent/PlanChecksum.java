package io.elemental.conformance.node.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum the agent writes to {@code applied-checksum}/{@code failed-checksum}: lowercase hex
 * SHA-256 of the plan bytes exactly as stored in the Secret (not of a re-serialised plan), so any
 * byte change, whitespace included, is a new plan.
 */
public final class PlanChecksum {
  private PlanChecksum() {
  }

  public static String of(byte[] planBytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(planBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
