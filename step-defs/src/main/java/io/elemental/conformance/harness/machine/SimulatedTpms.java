package io.elemental.conformance.harness.machine;

import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.fixtures.tpm.SwtpmCa;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Software TPMs for simulated machines: one swtpm process each, with an EK certificate from
 * this run's own CA (the "manufacturer"), or a seeded state for emulated TPMs.
 */
public final class SimulatedTpms {
  private final Path dir;
  private SwtpmCa manufacturer;

  public SimulatedTpms(Path workDir) {
    this.dir = workDir.resolve("tpms");
  }

  /** The manufacturer CA whose intermediate and root make a {@code tpm-ca} bundle. */
  public synchronized SwtpmCa manufacturer() {
    if (manufacturer == null) {
      manufacturer = SwtpmCa.create(dir.resolve("manufacturer-ca"));
    }
    return manufacturer;
  }

  /** A TPM as shipped in a machine: EK and EK certificate, started. */
  public Swtpm forMachine(String machine) {
    return Swtpm.manufacture(dir.resolve(machine + "-" + System.nanoTime()), Optional.of(manufacturer())).start();
  }

  /** An emulated TPM: the same seed always gives the same EK (no certificate), started. */
  public Swtpm emulated(long seed, String machine) {
    return Swtpm.fromSeed(dir.resolve("seeds"), seed, dir.resolve(machine + "-" + System.nanoTime())).start();
  }
}
