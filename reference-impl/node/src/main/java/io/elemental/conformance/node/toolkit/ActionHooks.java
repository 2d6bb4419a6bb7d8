package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.node.cloudconfig.StageHooks;
import io.elemental.conformance.node.cloudconfig.SystemRoot;
import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud-config hooks of one install, upgrade or reset, at the moments elemental-toolkit runs
 * them ({@code pkg/action/install.go}, {@code upgrade.go}, {@code reset.go}):
 * {@code before-<action>} once the partitions are ready, {@code after-<action>-chroot} in the new
 * OS tree before it becomes a snapshot (COS_OEM at {@code /oem}, COS_PERSISTENT at
 * {@code /run/elemental/persistent}, the EFI partition at {@code /run/elemental/efi}, as the
 * upstream chroot binds them), {@code after-<action>} on the running system with the tree's
 * cloud-init paths added, and {@code post-<action>} once the snapshot is in place. A tree that is
 * not the action's own (a {@code dir:} source such as the live system's read-only root) is copied
 * to COS_STATE first, and only when its chroot stage has steps. Hooks never fail the action.
 */
final class ActionHooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActionHooks.class);
  private final StageHooks hooks;
  private final String action;
  private final Partitions partitions;
  private Path copy;

  ActionHooks(StageHooks hooks, String action, Partitions partitions) {
    this.hooks = hooks;
    this.action = action;
    this.partitions = partitions;
  }

  void before() {
    hooks.run("before-" + action, List.of());
  }

  /** {@code after-<action>-chroot}, then {@code after-<action>}; returns the tree to make the snapshot from. */
  Path after(Path tree, boolean ours) {
    String chrootStage = "after-" + action + "-chroot";
    Path root = tree;
    if (!ours) {
      if (hooks.definesSteps(chrootStage, chroot(tree))) {
        root = copyOf(tree);
        hooks.runIn(chrootStage, chroot(root));
      }
    } else {
      hooks.runIn(chrootStage, chroot(root));
    }
    hooks.run("after-" + action, StageHooks.treeSources(root));
    return root;
  }

  void post() {
    hooks.run("post-" + action, List.of());
  }

  private SystemRoot chroot(Path tree) {
    SystemRoot root = SystemRoot.at(tree);
    root = mount(root, "/oem", Partition.OEM);
    root = mount(root, "/run/elemental/persistent", Partition.PERSISTENT);
    return mount(root, "/run/elemental/efi", Partition.EFI);
  }

  private SystemRoot mount(SystemRoot root, String where, String label) {
    try {
      return root.withMount(where, partitions.mountPoint(label));
    } catch (RuntimeException e) {
      return root; // a disk without that partition: the chroot has none either
    }
  }

  private Path copyOf(Path tree) {
    Path target = partitions.state().resolve(".snapshots/.work/hook-root-" + System.nanoTime());
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new ToolkitException("cannot make " + target + " for the " + action + " hooks: " + e.getMessage(), e);
    }
    copy = target;
    long begin = System.nanoTime();
    HostTools.run(List.of("cp", "-a", tree + "/.", target.toString()));
    LOG.info("copied {} to {} for the after-{}-chroot hook in {} ms", tree, target, action,
        (System.nanoTime() - begin) / 1_000_000);
    return target;
  }

  @Override
  public void close() {
    if (copy == null) return;
    try {
      LayerUnpacker.deleteTree(copy);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", copy, e.getMessage());
    }
  }
}
