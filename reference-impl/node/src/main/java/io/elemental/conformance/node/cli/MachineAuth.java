package io.elemental.conformance.node.cli;

import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.node.register.ClientAuth;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.register.PlainAuth;
import io.elemental.conformance.node.register.RegistrationException;
import io.elemental.conformance.node.register.TpmAuth;
import io.elemental.conformance.node.tpm.TpmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Picks how this machine proves its identity from the registration's {@code auth} (default
 * {@code tpm}), the way the real client does: a TPM device, an emulated TPM, or a PLAIN id.
 */
final class MachineAuth {
  private MachineAuth() {}

  /** Starts an emulated TPM for the registration and says how to reach it. */
  interface EmulatedTcti {
    String start(RegistrationConfig config) throws PermanentFailure;
  }

  /**
   * {@code tpmDevice}: where the kernel's TPM resource manager is expected; {@code tctiOverride}:
   * TPM2TOOLS_TCTI when the caller set one; {@code emulated}: starts a guest-local swtpm.
   */
  static ClientAuth choose(RegistrationConfig config, MachineFacts facts, Path tpmDevice, Optional<String> tctiOverride,
      EmulatedTcti emulated) throws PermanentFailure {
    String method = config.auth == null || config.auth.isBlank() ? "tpm" : config.auth;
    switch (method) {
      case "sys-uuid":
        if (facts.smbiosUuid().isBlank()) {
          throw new PermanentFailure("auth: sys-uuid, but this machine's SMBIOS has no UUID. Fix: give the machine"
              + " a system UUID (QEMU: -uuid), or register with auth: tpm or mac");
        }
        return PlainAuth.sysUuid(facts.smbiosUuid());
      case "mac":
        try {
          return PlainAuth.mac(facts.nics());
        } catch (RegistrationException e) {
          throw new PermanentFailure(e.getMessage());
        }
      case "tpm":
        if (Boolean.TRUE.equals(config.emulateTpm)) {
          return new TpmAuth(new TpmClient(emulated.start(config)), true);
        }
        if (tctiOverride.isPresent()) return new TpmAuth(new TpmClient(tctiOverride.get()), false);
        if (!Files.exists(tpmDevice)) {
          throw new PermanentFailure("auth: tpm, but this machine has no TPM (" + tpmDevice + " is missing). Fix: give"
              + " the machine a TPM 2.0 (QEMU: swtpm with -tpmdev emulator and -device tpm-tis), or set emulate-tpm:"
              + " true or another auth method in the MachineRegistration");
        }
        return new TpmAuth(new TpmClient("device:" + tpmDevice), false);
      default:
        throw new PermanentFailure("auth: " + method + " is not an Elemental auth method. Fix: use tpm, mac or"
            + " sys-uuid in the MachineRegistration's config.elemental.registration.auth");
    }
  }
}
