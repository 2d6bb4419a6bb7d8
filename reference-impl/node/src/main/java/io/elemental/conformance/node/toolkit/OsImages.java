package io.elemental.conformance.node.toolkit;

import io.elemental.conformance.oci.ImageManifest;
import io.elemental.conformance.oci.ImagePuller;
import io.elemental.conformance.oci.ImageReference;
import io.elemental.conformance.oci.LayerUnpacker;
import io.elemental.conformance.oci.OciException;
import io.elemental.conformance.oci.PipelinedUnpack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where install and upgrade get their OS: an OCI image from a registry ({@code oci://ref}, or a
 * bare {@code ref}), pulled and unpacked with whiteouts, or a directory ({@code dir:/path}, the
 * live system's own root, as the real installer uses by default).
 */
public final class OsImages {
  public static final String OCI = "oci://";
  public static final String DIR = "dir:";

  private OsImages() {}

  /** The canonical source string state.yaml records. */
  public static String canonical(String source) {
    if (source.startsWith(DIR) || source.startsWith(OCI)) return source;
    return OCI + source;
  }

  /** The manifest digest of an OCI source, without pulling its layers; empty for a directory. */
  public static String digest(String source) {
    String canonical = canonical(source);
    if (canonical.startsWith(DIR)) return "";
    ImageReference reference = parse(canonical);
    try {
      return new ImagePuller(Path.of("/nonexistent")).resolve(reference).digest();
    } catch (OciException e) {
      throw unavailable(canonical, e);
    }
  }

  /**
   * The tree of {@code source}; an OCI image is unpacked under {@code workDir} (on the disk being
   * written, not in RAM) and removed when the returned tree is closed.
   */
  public static OsTree fetch(String source, Path workDir) {
    String canonical = canonical(source);
    if (canonical.startsWith(DIR)) {
      Path dir = Path.of(canonical.substring(DIR.length()));
      if (!Files.isDirectory(dir)) {
        throw new ToolkitException("the install source " + canonical + " is not a directory. Fix: point system-uri at"
            + " an OS image (oci://registry/repo:tag) or an existing root directory");
      }
      return new OsTree(dir, canonical, "", false);
    }
    ImageReference reference = parse(canonical);
    try {
      Files.createDirectories(workDir);
      Path blobs = Files.createTempDirectory(workDir, "blobs-");
      Path root = Files.createTempDirectory(workDir, "rootfs-");
      try {
        // Logged with its times: each layer's download, then the whole pull and unpack.
        ImageManifest manifest = PipelinedUnpack.pullAndUnpack(new ImagePuller(blobs), reference, root);
        return new OsTree(root, canonical, manifest.digest(), true);
      } catch (OciException e) {
        LayerUnpacker.deleteTree(root);
        throw unavailable(canonical, e);
      } catch (UncheckedIOException e) {
        LayerUnpacker.deleteTree(root);
        throw new ToolkitException("cannot unpack " + canonical + " under " + workDir + ": " + e.getMessage(), e);
      } finally {
        LayerUnpacker.deleteTree(blobs);
      }
    } catch (IOException e) {
      throw new ToolkitException("cannot unpack " + canonical + " under " + workDir + ": " + e.getMessage(), e);
    }
  }

  private static ImageReference parse(String canonical) {
    try {
      return ImageReference.parse(canonical.substring(OCI.length()));
    } catch (RuntimeException e) {
      throw new ToolkitException("'" + canonical + "' is not an image reference: " + e.getMessage()
          + ". Fix: use registry/repository:tag", e);
    }
  }

  private static ToolkitException unavailable(String source, OciException e) {
    return new ToolkitException("cannot pull " + source + ": " + e.getMessage(), e);
  }
}
