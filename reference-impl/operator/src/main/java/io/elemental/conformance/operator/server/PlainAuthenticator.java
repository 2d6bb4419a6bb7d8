package io.elemental.conformance.operator.server;

import io.elemental.conformance.operator.inventory.MachineIdentity;
import io.elemental.conformance.operator.inventory.Sha256;
import java.nio.charset.StandardCharsets;
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
    return new PlainAuthenticator(MachineIdentity.plain(Sha256.hex(id.getBytes(StandardCharsets.UTF_8)), "plain"));
  }

  @Override
  public MachineIdentity authenticate(MessageChannel channel) {
    return identity;
  }

}
