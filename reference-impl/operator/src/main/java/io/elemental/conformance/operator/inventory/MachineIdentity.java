package io.elemental.conformance.operator.inventory;

/**
 * Who a registering machine proved to be: the hash of its TPM's endorsement key, or (for the
 * {@code mac} and {@code sys-uuid} methods) the hash of its MAC address or SMBIOS UUID.
 */
public record MachineIdentity(String tpmHash, String machineHash, String authMethod) {

  public static MachineIdentity tpm(String tpmHash, String authMethod) {
    return new MachineIdentity(tpmHash, null, authMethod);
  }

  public static MachineIdentity plain(String machineHash, String authMethod) {
    return new MachineIdentity(null, machineHash, authMethod);
  }

  /** One key for both kinds, for indexes and locks. */
  public String key() {
    return tpmHash != null ? "tpm:" + tpmHash : "machine:" + machineHash;
  }
}
