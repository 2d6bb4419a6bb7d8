package io.elemental.conformance.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.elemental.conformance.api.v1beta1.ManagedOSVersion;
import io.elemental.conformance.oci.Descriptor;
import io.elemental.conformance.oci.ImageManifest;
import io.elemental.conformance.oci.OciException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradeImageTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void osImageOrTheNamedVersionsUpgradeImage() {
    ManagedOSImage.Spec spec = new ManagedOSImage.Spec();
    assertThat(ImageSource.choose(spec, "ns", n -> Optional.empty()).reason()).isEqualTo("NoImage");
    spec.osImage = "127.0.0.1:5000/elemental/os:v2";
    assertThat(ImageSource.choose(spec, "ns", n -> Optional.empty()).image()).isEqualTo(spec.osImage);

    spec.managedOSVersionName = "v3";
    ImageSource.Choice missing = ImageSource.choose(spec, "ns", n -> Optional.empty());
    assertThat(missing.reason()).isEqualTo("ManagedOSVersionNotFound");
    assertThat(missing.message()).contains("ManagedOSVersion ns/v3 not found").contains("Fix:");

    ManagedOSVersion v3 = version(Map.of("upgradeImage", "127.0.0.1:5000/elemental/os:v3"));
    assertThat(ImageSource.choose(spec, "ns", n -> n.equals("v3") ? Optional.of(v3) : Optional.empty()).image())
        .isEqualTo("127.0.0.1:5000/elemental/os:v3");
    ManagedOSVersion iso = version(Map.of("uri", "http://example/os.iso"));
    assertThat(ImageSource.choose(spec, "ns", n -> Optional.of(iso)).reason()).isEqualTo("NoImage");
  }

  @Test
  void aResolvedImageGivesItsDigest() {
    ImageCheck check = new ImageCheck(ref -> new ImageManifest(ref, DIGEST,
        new Descriptor("application/vnd.oci.image.config.v1+json", DIGEST, 2, null, null), List.of()));
    ImageCheck.Result result = check.check("127.0.0.1:5000/elemental/os:v2");
    assertThat(result.ok()).isTrue();
    assertThat(result.digest()).isEqualTo(DIGEST);
  }

  @Test
  void aMalformedReferenceIsInvalidWithoutAnyRequest() {
    ImageCheck check = new ImageCheck(ref -> {
      throw new AssertionError("no request expected for " + ref);
    });
    ImageCheck.Result result = check.check("127.0.0.1:5000/Elemental/OS:v2");
    assertThat(result.reason()).isEqualTo("InvalidImageReference");
    assertThat(result.message()).contains("Fix:");
  }

  @Test
  void missingManifestIsNotFoundAndAnUnreachableRegistryUnavailable() {
    ImageCheck notFound = new ImageCheck(ref -> {
      throw new OciException("image " + ref + ": manifest v9 not found in 127.0.0.1:5000 (HTTP 404). Fix: push the"
          + " image, or correct the tag");
    });
    ImageCheck.Result result = notFound.check("127.0.0.1:5000/elemental/os:v9");
    assertThat(result.reason()).isEqualTo("ImageNotFound");
    assertThat(result.message()).contains("manifest v9 not found in 127.0.0.1:5000").contains("Fix: push the image");

    ImageCheck down = new ImageCheck(ref -> {
      throw new OciException("image " + ref + ": cannot reach registry http://127.0.0.1:5000", new ConnectException());
    });
    assertThat(down.check("127.0.0.1:5000/elemental/os:v2").reason()).isEqualTo("ImageUnavailable");
    assertThat(down.check("127.0.0.1:5000/elemental/os:v2").message()).contains("Fix:");

    assertThat(ImageCheck.reason(new OciException("image x has no linux/amd64 manifest (it has [linux/arm64])")))
        .isEqualTo("ImageNotFound");
    assertThat(ImageCheck.reason(new OciException("image x: GET y answered HTTP 500: oops"))).isEqualTo("ImageUnavailable");
    assertThat(ImageCheck.reason(new OciException("x", new IOException("reset")))).isEqualTo("ImageUnavailable");
  }

  private static ManagedOSVersion version(Map<String, String> metadata) {
    ManagedOSVersion version = new ManagedOSVersion();
    version.setSpec(new ManagedOSVersion.Spec());
    version.getSpec().metadata = new ObjectMapper().valueToTree(metadata);
    return version;
  }
}
