package io.elemental.conformance.harness.vm;

import io.elemental.conformance.fixtures.tpm.Swtpm;
import io.elemental.conformance.fixtures.vm.GuestNetwork;
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
    // The operator runs in this JVM, on the host: where VMs see the host (10.0.2.100), it dials loopback.
    System.setProperty("elemental.registry.hosts", GuestNetwork.HOST_FOR_GUESTS + "=127.0.0.1");
  }

  /** The reference image at {@code version} as VMs pull it: from the host's registry, at the guests' address of the host. */
  public String osImageForGuests(String version) {
    return osImageForGuests(version, true);
  }

  /** As above, healthy or built to fail its health check. */
  public String osImageForGuests(String version, boolean healthy) {
    String reference = images.reference(version, healthy);
    return reference.startsWith("127.0.0.1:") ? GuestNetwork.HOST_FOR_GUESTS + reference.substring("127.0.0.1".length())
        : reference;
  }

  /** The port of the registry holding the reference images, which VMs get forwarded (0 for a user's own image). */
  public int registryPort() {
    String reference = osImage("v1");
    if (!reference.startsWith("127.0.0.1:")) return 0;
    return Integer.parseInt(reference.substring("127.0.0.1:".length(), reference.indexOf('/')));
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
