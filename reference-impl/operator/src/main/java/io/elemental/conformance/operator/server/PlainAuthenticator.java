package io.elemental.conformance.operator.server;

import io.elemental.conformance.operator.inventory.MachineIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code Bearer PLAIN<id>}: the machine names itself by SMBIOS UUID ({@code sys-uuid}) or its
 * lowest physical MAC ({@code mac}). No proof, so placeholders firmware writes instead of a
 * real UUID are refused: they would make every such machine the same one.
 */
final class PlainAuthenticator implements Authenticator {
  static final String PREFIX = "Bearer PLAIN";

  private final MachineIdentity identity;

  private PlainAuthenticator(MachineIdentity identity) {
    this.identity = identity;
  }

  static PlainAuthenticator fromHeader(String header) throws Unauthorized {
    String id = header.substring(PREFIX.length()).trim();
    String lower = id.toLowerCase(Locale.ROOT);
    if (id.isEmpty() || lower.equals("unspecified") || lower.equals("none") || lower.startsWith("not ")) {
      throw new Unauthorized("PLAIN authentication needs a machine id, got '" + id
          + "': this machine has no usable SMBIOS UUID; use auth: mac or tpm");
    }
    return new PlainAuthenticator(MachineIdentity.plain(sha256(id), "plain"));
  }

  @Override
  public MachineIdentity authenticate(MessageChannel channel) {
    return identity;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
