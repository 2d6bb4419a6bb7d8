package io.elemental.conformance.operator.upgrade;

import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.elemental.conformance.api.v1beta1.ManagedOSVersion;
import java.util.Optional;
import java.util.function.Function;

/**
 * The image a ManagedOSImage upgrades to: the {@code spec.metadata.upgradeImage} of the
 * ManagedOSVersion named by {@code spec.managedOSVersionName} (same namespace) when that is set,
 * else {@code spec.osImage}.
 */
public final class ImageSource {
  private ImageSource() {}

  /** Either an image, or why there is none ({@code reason} is a {@link UpgradeReasons} constant). */
  public record Choice(String image, String reason, String message) {
    static Choice image(String image) {
      return new Choice(image, null, null);
    }

    static Choice problem(String reason, String message) {
      return new Choice(null, reason, message);
    }

    public boolean found() {
      return image != null;
    }
  }

  /** @param versions ManagedOSVersions of the ManagedOSImage's namespace, by name */
  public static Choice choose(ManagedOSImage.Spec spec, String namespace,
      Function<String, Optional<ManagedOSVersion>> versions) {
    String versionName = spec == null ? null : blankToNull(spec.managedOSVersionName);
    if (versionName != null) {
      Optional<ManagedOSVersion> version = versions.apply(versionName);
      if (version.isEmpty()) {
        return Choice.problem(UpgradeReasons.MANAGED_OS_VERSION_NOT_FOUND, "ManagedOSVersion " + namespace + "/"
            + versionName + " not found. Fix: create it (or let its channel sync it), or correct"
            + " spec.managedOSVersionName");
      }
      ManagedOSVersion.Spec versionSpec = version.get().getSpec();
      String image = versionSpec == null || versionSpec.metadata == null ? null
          : blankToNull(versionSpec.metadata.path("upgradeImage").asText(null));
      if (image == null) {
        return Choice.problem(UpgradeReasons.NO_IMAGE, "ManagedOSVersion " + namespace + "/" + versionName
            + " has no spec.metadata.upgradeImage (an iso version cannot upgrade machines). Fix: name a container"
            + " version in spec.managedOSVersionName");
      }
      return Choice.image(image);
    }
    String osImage = spec == null ? null : blankToNull(spec.osImage);
    if (osImage == null) {
      return Choice.problem(UpgradeReasons.NO_IMAGE, "neither spec.osImage nor spec.managedOSVersionName is set."
          + " Fix: set spec.osImage to an OS image, e.g. 127.0.0.1:5000/elemental/os:v2");
    }
    return Choice.image(osImage);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
