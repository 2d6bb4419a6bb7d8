package io.elemental.conformance.node.cloudconfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The toolkit's hooks: install, upgrade and reset run stages at fixed moments, as
 * elemental-toolkit's {@code pkg/action} does ({@code before-<action>} on the running system,
 * {@code after-<action>-chroot} in the new root, {@code after-<action>} on the running system with
 * the new root's cloud-config paths added, {@code post-<action>} at the end). A hook never fails
 * its action: its failures are console lines, as upstream without {@code --strict}.
 */
public interface StageHooks {
  /** No hooks: a simulated machine whose harness gives it no root of its own. */
  StageHooks NONE = new StageHooks() {
    @Override
    public void run(String stage, List<Path> extraSources) {
    }

    @Override
    public void runIn(String stage, SystemRoot newRoot) {
    }

    @Override
    public boolean definesSteps(String stage, SystemRoot newRoot) {
      return false;
    }
  };

  /** {@code stage} on the running system, from its cloud-init paths and then {@code extraSources}. */
  void run(String stage, List<Path> extraSources);

  /** {@code stage} as in a chroot of {@code newRoot}: its paths and effects inside it. */
  void runIn(String stage, SystemRoot newRoot);

  /** Whether {@code newRoot}'s cloud-config has steps for {@code stage} (a read-only tree is copied only then). */
  boolean definesSteps(String stage, SystemRoot newRoot);

  /** A new OS tree's cloud-init paths on this machine, as {@code after-<action>} adds them. */
  static List<Path> treeSources(Path tree) {
    return ConfigPaths.DEFAULTS.stream().map(p -> tree.resolve(p.substring(1))).toList();
  }
}
