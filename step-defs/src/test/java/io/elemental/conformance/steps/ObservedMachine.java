package io.elemental.conformance.steps;

import io.elemental.conformance.node.toolkit.StateFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a scenario observes of a running machine, whichever tier runs it: a simulated machine
 * shows its state directly, a VM through SSH. One sentence of the spec therefore checks both.
 */
interface ObservedMachine {
  /** The GRUB entry this boot came from ({@code active}, {@code passive<N>}, {@code recovery}), or {@code live}. */
  String bootedEntry();

  /** The kernel command line of this boot. */
  String cmdline();

  /** Whether {@code /run/elemental/<mode>_mode} marks this boot. */
  boolean hasModeMarker(String mode);

  /** {@code /etc/os-release} of the running system. */
  Map<String, String> osRelease();

  /** The file at {@code path} in the running system, if there is one. */
  Optional<String> file(String path);

  /** COS_STATE's {@code state.yaml}. */
  StateFile stateFile();

  /** The snapshot ids on COS_STATE, ascending. */
  List<Integer> snapshotIds();

  /** The snapshot {@code .snapshots/active} points at. */
  OptionalInt activeSnapshot();
}
