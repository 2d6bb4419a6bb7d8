package io.elemental.conformance.operator.seedimage;

import io.elemental.conformance.oci.ImageManifest;
import io.elemental.conformance.oci.ImagePuller;
import io.elemental.conformance.oci.ImageReference;
import io.elemental.conformance.oci.LayerUnpacker;
import io.elemental.conformance.oci.OciException;
import io.elemental.conformance.oci.PulledImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OS images turned into live systems, cached by manifest digest under
 * {@code <work>/images/<digest hex>/}: a second seed image of the same image costs one manifest
 * request and the ISO assembly, not a pull and a squashfs. Layers are kept in
 * {@code <work>/blobs}, so a new image version fetches only its new layers.
 */
final class LiveImageCache {
  private static final Logger LOG = LoggerFactory.getLogger(LiveImageCache.class);
  static final String KERNEL = "boot/vmlinuz";
  static final String INITRD = "boot/initrd";
  /**
   * mksquashfs's zstd default (15) took 58 s for a 394 MB Debian root on 2 cores; level 3 took
   * 2.2 s for a 15% larger image (128 vs 112 MB). Reading it back is as fast either way.
   */
  static final String SQUASHFS_ZSTD_LEVEL = "3";

  private final Path images;
  private final ImagePuller puller;

  LiveImageCache(Path workDir) {
    this.images = workDir.resolve("images");
    this.puller = new ImagePuller(workDir.resolve("blobs"));
  }

  /** Called from one build thread; other operators sharing the cache prepare images in work dirs of their own. */
  LiveImage get(String baseImage) {
    ImageReference reference;
    ImageManifest manifest;
    try {
      reference = ImageReference.parse(baseImage);
      manifest = puller.resolve(reference);
    } catch (OciException e) {
      throw pullFailure(baseImage, e);
    }
    Path dir = images.resolve(manifest.digest().substring("sha256:".length()));
    LiveImage live = new LiveImage(baseImage, manifest.digest(), dir.resolve("squashfs.img"), dir.resolve("vmlinuz"),
        dir.resolve("initrd"));
    if (Files.isRegularFile(dir.resolve("complete"))) {
      LOG.info("live image of {} ({}) found in the cache", baseImage, manifest.digest());
      return live;
    }
    try {
      build(baseImage, manifest, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("preparing the live image of " + baseImage + " in " + dir + ": " + e.getMessage(), e);
    }
    return live;
  }

  private void build(String image, ImageManifest manifest, Path dir) throws IOException {
    // A private work dir: another operator sharing this cache may be preparing the same image.
    Files.createDirectories(images);
    Path work = Files.createTempDirectory(images, dir.getFileName() + ".partial-");
    Path root = work.resolve("root");
    try {
      long begin = System.nanoTime();
      PulledImage pulled;
      try {
        pulled = puller.download(manifest);
        LayerUnpacker.unpack(pulled, root);
      } catch (OciException | UncheckedIOException e) {
        throw pullFailure(image, e);
      }
      long unpacked = System.nanoTime();
      copyFromRoot(root, KERNEL, work.resolve("vmlinuz"), image);
      copyFromRoot(root, INITRD, work.resolve("initrd"), image);
      BuildTool.MKSQUASHFS.run(List.of(root.toString(), work.resolve("squashfs.img").toString(),
          "-comp", "zstd", "-Xcompression-level", SQUASHFS_ZSTD_LEVEL, "-noappend", "-no-progress"),
          work.resolve("mksquashfs.log"), Duration.ofMinutes(30));
      long squashed = System.nanoTime();
      deleteTree(root);
      Files.writeString(work.resolve("complete"), manifest.digest() + "\n");
      if (Files.isRegularFile(dir.resolve("complete"))) {
        LOG.info("live image of {} was prepared meanwhile by another operator; using that one", image);
      } else {
        deleteTree(dir); // an incomplete leftover
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
      }
      LOG.info("live image of {} ({}): pull + unpack {} ms, squashfs {} ms ({} bytes)", image, manifest.digest(),
          (unpacked - begin) / 1_000_000, (squashed - unpacked) / 1_000_000, Files.size(dir.resolve("squashfs.img")));
    } finally {
      deleteTree(work);
    }
  }

  /** "failed to pull <image>: <cause>", without the image named twice (pull errors start with "image <ref>: "). */
  private static SeedImageBuildException pullFailure(String image, RuntimeException e) {
    String cause = String.valueOf(e.getMessage()).replaceFirst("^image \\S+: ", "");
    return new SeedImageBuildException("failed to pull " + image + ": " + cause, e);
  }

  /** Copies /boot/vmlinuz or /boot/initrd out of the image, following links as they resolve inside the image. */
  private static void copyFromRoot(Path root, String path, Path target, String image) throws IOException {
    Path file = resolveInRoot(root, path);
    if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new SeedImageBuildException(image + " is not an Elemental OS image: no /" + path
          + ". Fix: build the image with a kernel and a dracut initrd at /boot/vmlinuz and /boot/initrd");
    }
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@code path} inside {@code root} as a chroot would see it: absolute links are relative to the root; null when dangling. */
  static Path resolveInRoot(Path root, String path) {
    Path current = root;
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(path.split("/")));
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.removeFirst();
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (++links > 40) return null;
        String target;
        try {
          target = Files.readSymbolicLink(next).toString();
        } catch (IOException e) {
          return null;
        }
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
        if (target.startsWith("/")) current = root;
        continue;
      }
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) return null;
      current = next;
    }
    return current;
  }

  static void deleteTree(Path path) throws IOException {
    io.elemental.conformance.oci.LayerUnpacker.deleteTree(path);
  }
}
