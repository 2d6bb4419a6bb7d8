package io.elemental.conformance.operator.upgrade;

import io.elemental.conformance.oci.ImageManifest;
import io.elemental.conformance.oci.ImagePuller;
import io.elemental.conformance.oci.ImageReference;
import io.elemental.conformance.oci.OciException;
import io.elemental.conformance.oci.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Checks that an upgrade image exists before any machine is given it: resolves its linux/amd64
 * manifest (no layer is fetched). Loopback registries are spoken to over plain HTTP, as for seed
 * images ({@link ImageReference#scheme()}).
 */
public final class ImageCheck {
  private final Function<ImageReference, ImageManifest> resolver;

  public ImageCheck() {
    // Only resolve() is called, which writes no blob: the store path is never created.
    this(new ImagePuller(new RegistryClient(), Path.of(System.getProperty("java.io.tmpdir"),
        "elemental-upgrade-unused-blobs"), "linux", "amd64")::resolve);
  }

  ImageCheck(Function<ImageReference, ImageManifest> resolver) {
    this.resolver = resolver;
  }

  /** The manifest digest, or why the image cannot be used ({@code reason} is a {@link UpgradeReasons} constant). */
  public record Result(String digest, String reason, String message) {
    public boolean ok() {
      return digest != null;
    }
  }

  public Result check(String image) {
    ImageReference reference;
    try {
      reference = ImageReference.parse(image);
    } catch (OciException e) {
      return new Result(null, UpgradeReasons.INVALID_IMAGE_REFERENCE, withFix(e.getMessage(),
          "write it as registry[:port]/repository[:tag], e.g. 127.0.0.1:5000/elemental/os:v2"));
    }
    try {
      return new Result(resolver.apply(reference).digest(), null, null);
    } catch (OciException e) {
      return new Result(null, reason(e), withFix(e.getMessage(), "correct the image, or make its registry serve it"));
    } catch (RuntimeException e) {
      return new Result(null, UpgradeReasons.IMAGE_UNAVAILABLE, withFix("image " + image + ": " + e,
          "correct the image, or make its registry serve it"));
    }
  }

  /**
   * The OCI client has one exception type; what failed is told by its cause (I/O: the registry
   * could not be reached) or by its 404 wording (the manifest, or this platform's, is missing).
   */
  static String reason(OciException e) {
    if (e.getCause() instanceof IOException) return UpgradeReasons.IMAGE_UNAVAILABLE;
    String message = String.valueOf(e.getMessage());
    if (message.contains("(HTTP 404)") || message.contains(" manifest (it has ")) return UpgradeReasons.IMAGE_NOT_FOUND;
    return UpgradeReasons.IMAGE_UNAVAILABLE;
  }

  private static String withFix(String message, String fix) {
    return message.contains("Fix:") ? message : message + ". Fix: " + fix;
  }
}
