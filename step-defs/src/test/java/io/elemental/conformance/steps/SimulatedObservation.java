package io.elemental.conformance.steps;

import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.node.host.OsRelease;
import io.elemental.conformance.node.toolkit.Partition;
import io.elemental.conformance.node.toolkit.Snapshots;
import io.elemental.conformance.node.toolkit.StateFile;
import io.elemental.conformance.node.toolkit.simulated.BootedSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A simulated machine as the spec observes it: its booted root and its disk's file systems. */
final class SimulatedObservation implements ObservedMachine {
  private final SimulatedMachine machine;

  SimulatedObservation(SimulatedMachine machine) {
    this.machine = machine;
  }

  @Override
  public String bootedEntry() {
    return machine.booted().map(BootedSystem::entry).orElse("live");
  }

  @Override
  public String cmdline() {
    return machine.booted().map(BootedSystem::cmdline).orElse("");
  }

  @Override
  public boolean hasModeMarker(String mode) {
    return Files.exists(inRoot("/run/elemental/" + mode + "_mode"));
  }

  @Override
  public Map<String, String> osRelease() {
    return OsRelease.read(inRoot("/etc/os-release"));
  }

  @Override
  public Optional<String> file(String path) {
    Path file = inRoot(path);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public StateFile stateFile() {
    return StateFile.read(machine.disk().fs(Partition.STATE).resolve(StateFile.NAME));
  }

  @Override
  public List<Integer> snapshotIds() {
    return snapshots().ids();
  }

  @Override
  public OptionalInt activeSnapshot() {
    return snapshots().active();
  }

  private Snapshots snapshots() {
    return new Snapshots(machine.disk().fs(Partition.STATE));
  }

  private Path inRoot(String path) {
    return machine.root().resolve(path.replaceFirst("^/+", ""));
  }
}
