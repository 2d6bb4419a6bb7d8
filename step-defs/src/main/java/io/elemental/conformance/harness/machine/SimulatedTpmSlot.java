package io.elemental.conformance.harness.machine;

import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.node.register.ClientAuth;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.register.PlainAuth;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.register.TpmAuth;
import io.elemental.conformance.node.tpm.TpmClient;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A simulated machine's TPM socket and how it proves who it is: a swtpm of its own when it has a
 * TPM chip, a seeded one when the registration asks for an emulated TPM, or a plain identity
 * (SMBIOS UUID, MAC) for the other auth methods.
 */
final class SimulatedTpmSlot {
  private final String machine;
  private final SimulatedTpms tpms;
  private Swtpm tpm;
  private String tpmHash;

  SimulatedTpmSlot(String machine, SimulatedTpms tpms) {
    this.machine = machine;
    this.tpms = tpms;
  }

  /** Fits a TPM chip with an EK certificate from the run's manufacturer CA. */
  void fitChip() {
    tpm = tpms.forMachine(machine);
  }

  /** The hash the operator keys the machine by when it attests with its TPM (none without one). */
  synchronized Optional<String> tpmHash() {
    // Reading the EK costs TPM commands (and, without a certificate, a key generation); it never changes.
    if (tpmHash == null && tpm != null) {
      tpmHash = new TpmClient(tpm.tctiConfig()).endorsementKey().tpmHash();
    }
    return Optional.ofNullable(tpmHash);
  }

  /** How the register client authenticates under {@code config}. */
  ClientAuth auth(RegistrationConfig config, MachineFacts facts) throws RegistrationException {
    String method = config.auth == null || config.auth.isBlank() ? "tpm" : config.auth;
    return switch (method) {
      case "sys-uuid" -> PlainAuth.sysUuid(facts.smbiosUuid());
      case "mac" -> PlainAuth.mac(facts.nics());
      case "tpm" -> tpmAuth(config, facts);
      default -> throw new RegistrationException("auth: " + method + " is not supported by this machine");
    };
  }

  private ClientAuth tpmAuth(RegistrationConfig config, MachineFacts facts) throws RegistrationException {
    if (Boolean.TRUE.equals(config.emulateTpm)) {
      if (tpm == null) {
        long seed = config.emulatedTpmSeed == null ? 1 : config.emulatedTpmSeed;
        // -1: a seed per machine, from its SMBIOS UUID, as the real client derives it.
        if (seed == -1) seed = new BigInteger(facts.smbiosUuid().replace("-", ""), 16).longValue();
        tpm = tpms.emulated(seed, machine);
      }
      return new TpmAuth(new TpmClient(tpm.tctiConfig()), true);
    }
    if (tpm == null) {
      throw new RegistrationException("auth: tpm, but this machine has no TPM. Fix: give it one, or register with"
          + " emulate-tpm: true or another auth method");
    }
    return new TpmAuth(new TpmClient(tpm.tctiConfig()), false);
  }

  /** The machine is off: its TPM process stops. */
  void close() {
    if (tpm != null) tpm.close();
  }
}
