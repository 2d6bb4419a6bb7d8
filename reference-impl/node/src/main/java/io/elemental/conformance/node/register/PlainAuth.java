package io.elemental.conformance.node.register;

import java.util.Comparator;
import java.util.List;

/** {@code auth: sys-uuid} or {@code auth: mac}: the machine names itself, without proof. */
public final class PlainAuth implements ClientAuth {
  private final String method;
  private final String id;

  private PlainAuth(String method, String id) {
    this.method = method;
    this.id = id;
  }

  public static PlainAuth sysUuid(String smbiosUuid) {
    return new PlainAuth("sys-uuid", smbiosUuid == null ? "" : smbiosUuid);
  }

  /** The lowest MAC of a physical interface, as the real client picks it. */
  public static PlainAuth mac(List<MachineFacts.Nic> nics) throws RegistrationException {
    return new PlainAuth("mac", nics.stream()
        .filter(nic -> !nic.virtual() && !nic.mac().isBlank() && !nic.mac().equals("00:00:00:00:00:00"))
        .map(MachineFacts.Nic::mac)
        .min(Comparator.naturalOrder())
        .orElseThrow(() -> new RegistrationException("auth: mac, but this machine has no physical network"
            + " interface with a MAC address; use auth: tpm or sys-uuid")));
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String authorizationHeader() {
    return "Bearer PLAIN" + id;
  }
}
