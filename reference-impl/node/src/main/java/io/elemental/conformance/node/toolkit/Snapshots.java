package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.oci.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots on COS_STATE, as Elemental's loop-device snapshotter keeps them:
 * {@code .snapshots/<N>/snapshot.img} and the {@code .snapshots/active} link to the active one.
 *
 * <p>Every step is safe against a power cut: an image is written under a temporary name and
 * renamed when complete, and the active link is replaced by a rename. At any instant the link
 * names a complete image; a half-written snapshot is a directory without {@code snapshot.img},
 * cleared by the next action.
 */
public final class Snapshots {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
  public static final int DEFAULT_MAX_SNAPS = 2;
  static final String DIR = ".snapshots";
  static final String IMAGE = "snapshot.img";
  static final String ACTIVE = "active";

  private final Path dir;

  public Snapshots(Path stateMount) {
    this.dir = stateMount.resolve(DIR);
  }

  /** Complete snapshots, oldest first. */
  public List<Integer> ids() {
    List<Integer> ids = new ArrayList<>();
    for (int id : numberedDirs()) {
      if (Files.isRegularFile(image(id))) ids.add(id);
    }
    return ids;
  }

  public OptionalInt active() {
    Path link = dir.resolve(ACTIVE);
    if (!Files.isSymbolicLink(link)) return OptionalInt.empty();
    try {
      Path target = Files.readSymbolicLink(link);
      return OptionalInt.of(Integer.parseInt(target.getName(0).toString()));
    } catch (IOException | NumberFormatException e) {
      throw new ToolkitException("the active snapshot link " + link + " is unreadable: " + e.getMessage()
          + ". Fix: reset the machine from recovery", e);
    }
  }

  /** The snapshots that are not active, newest first: GRUB's passive entries, in fallback order. */
  public List<Integer> passives() {
    OptionalInt active = active();
    return ids().stream().filter(id -> active.isEmpty() || id != active.getAsInt())
        .sorted(Comparator.reverseOrder()).toList();
  }

  public Path image(int id) {
    return dir.resolve(Integer.toString(id)).resolve(IMAGE);
  }

  /** Where an image is written in full but not yet renamed into place. */
  public static final String IMAGE_UNFINISHED = "image unfinished";

  /** Makes the next snapshot (max+1, counting leftovers) from {@code tree}; not yet active. */
  public int create(Path tree) {
    return create(tree, point -> { });
  }

  /** As {@link #create(Path)}, telling {@code checkpoint} {@link #IMAGE_UNFINISHED} before the image's rename. */
  public int create(Path tree, java.util.function.Consumer<String> checkpoint) {
    removeIncomplete();
    int id = numberedDirs().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Path image = image(id);
    Path partial = image.resolveSibling(IMAGE + ".part");
    try {
      Files.createDirectories(image.getParent());
      long begin = System.nanoTime();
      SnapshotImage.create(tree, partial, SnapshotImage.label(id));
      LOG.info("wrote the image of snapshot {} ({} MB) in {} ms", id, Files.size(partial) / 1_000_000,
          (System.nanoTime() - begin) / 1_000_000);
      checkpoint.accept(IMAGE_UNFINISHED);
      Durable.replace(partial, image);
    } catch (IOException e) {
      throw new ToolkitException("cannot write snapshot " + id + " in " + dir + ": " + e.getMessage(), e);
    }
    return id;
  }

  /** Points the active link at {@code id} in one rename. */
  public void activate(int id) {
    if (!Files.isRegularFile(image(id))) throw new ToolkitException("snapshot " + id + " is not complete");
    Path link = dir.resolve(ACTIVE);
    Path next = dir.resolve(ACTIVE + ".new");
    try {
      Files.deleteIfExists(next);
      Files.createSymbolicLink(next, Path.of(Integer.toString(id), IMAGE));
      Durable.replace(next, link);
    } catch (IOException e) {
      throw new ToolkitException("cannot make snapshot " + id + " active: " + e.getMessage(), e);
    }
  }

  /** Removes the oldest passives until at most {@code maxSnaps} remain; returns the removed ids. */
  public List<Integer> prune(int maxSnaps) {
    List<Integer> passives = new ArrayList<>(passives());
    List<Integer> removed = new ArrayList<>();
    int keepPassives = Math.max(0, maxSnaps - 1);
    while (passives.size() > keepPassives) {
      int oldest = passives.remove(passives.size() - 1);
      delete(oldest);
      removed.add(oldest);
    }
    return removed;
  }

  /** Directories a power cut left without a complete image. */
  public void removeIncomplete() {
    for (int id : numberedDirs()) {
      if (!Files.isRegularFile(image(id))) delete(id);
    }
  }

  /** Removes snapshot {@code id}; the active one cannot be removed. */
  public void remove(int id) {
    if (active().isPresent() && active().getAsInt() == id) {
      throw new ToolkitException("snapshot " + id + " is active and cannot be removed");
    }
    delete(id);
  }

  private void delete(int id) {
    try {
      LayerUnpacker.deleteTree(dir.resolve(Integer.toString(id)));
    } catch (IOException e) {
      throw new ToolkitException("cannot remove snapshot " + id + ": " + e.getMessage(), e);
    }
  }

  private List<Integer> numberedDirs() {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9]+")).map(Integer::parseInt).sorted().toList();
    } catch (IOException e) {
      throw new ToolkitException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
