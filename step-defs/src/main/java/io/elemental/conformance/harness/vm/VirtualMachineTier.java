package io.elemental.conformance.harness.vm;

import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.fixtures.vm.QemuTools;
import io.elemental.conformance.fixtures.vm.SmbiosIdentity;
import io.elemental.conformance.fixtures.vm.SshKey;
import io.elemental.conformance.fixtures.vm.VirtualMachine;
import io.elemental.conformance.fixtures.vm.VmSpec;
import io.elemental.conformance.harness.config.HarnessSettings;
import io.elemental.conformance.harness.machine.SimulatedTpms;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the @vm tier shares across scenarios, made on first use: the reference OS image in the
 * local registry, the harness's SSH key, and where VMs keep their files. The TPMs of VMs come
 * from the same manufacturer CA as the simulated machines' ones.
 */
public final class VirtualMachineTier {
  private final HarnessSettings settings;
  private final SimulatedTpms tpms;
  private final ReferenceOsImages images;
  private SshKey sshKey;

  public VirtualMachineTier(HarnessSettings settings, SimulatedTpms tpms) {
    this.settings = settings;
    this.tpms = tpms;
    this.images = new ReferenceOsImages(settings);
  }

  /** The OS image reference (in the local registry) of the reference image at {@code version}. */
  public String osImage(String version) {
    return images.reference(version);
  }

  /**
   * A VM spec to complete and build: home under the reports directory (its console log is
   * evidence), the harness's SSH key, its SMBIOS identity, optionally a TPM with an EK certificate
   * from the run's manufacturer CA.
   */
  public VmSpec.Builder newMachine(String scenario, String name, SmbiosIdentity identity, boolean withTpm) {
    QemuTools.requireAll();
    Path home = settings.reportsDir().resolve("vms").resolve(scenario).resolve(name + "-" + System.currentTimeMillis());
    VmSpec.Builder builder = VirtualMachine.builder(name, home).identity(identity).sshKey(sshKey());
    if (withTpm) {
      builder.tpm(Swtpm.manufacture(home.resolve("tpm"), Optional.of(tpms.manufacturer())));
    }
    return builder;
  }

  private synchronized SshKey sshKey() {
    if (sshKey == null) sshKey = SshKey.generate(settings.workDir().resolve("ssh"));
    return sshKey;
  }
}
