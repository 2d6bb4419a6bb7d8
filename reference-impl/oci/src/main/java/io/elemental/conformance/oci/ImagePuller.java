package io.elemental.conformance.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls images for one platform (linux/amd64 unless told otherwise) into a content-addressed
 * blob store, {@code <blobs>/sha256/<hex>}: layers shared by two images, or already pulled, are
 * not downloaded again.
 */
public final class ImagePuller {
  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient registry;
  private final Path blobs;
  private final String os;
  private final String architecture;

  public ImagePuller(Path blobs) {
    this(new RegistryClient(), blobs, "linux", "amd64");
  }

  public ImagePuller(RegistryClient registry, Path blobs, String os, String architecture) {
    this.registry = registry;
    this.blobs = blobs;
    this.os = os;
    this.architecture = architecture;
  }

  /** The image's manifest for this platform: cheap (one or two small requests), no layers fetched. */
  public ImageManifest resolve(ImageReference image) {
    RegistryClient.RawManifest raw = registry.manifest(image, image.manifestReference());
    if (MediaTypes.INDEXES.contains(raw.mediaType())) {
      Descriptor chosen = platformManifest(image, read(raw.content()));
      raw = registry.manifest(image, chosen.digest());
    }
    if (!MediaTypes.MANIFESTS.contains(raw.mediaType())) {
      throw new OciException("image " + image + ": unsupported manifest type '" + raw.mediaType()
          + "' (expected an OCI or Docker v2 schema 2 manifest; schema 1 images must be re-pushed)");
    }
    JsonNode manifest = read(raw.content());
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      Descriptor descriptor = descriptor(layer);
      if (!MediaTypes.LAYERS.contains(descriptor.mediaType())) {
        throw new OciException("image " + image + ": layer " + descriptor.digest() + " has unsupported media type '"
            + descriptor.mediaType() + "'");
      }
      layers.add(descriptor);
    }
    if (layers.isEmpty()) {
      throw new OciException("image " + image + " has no layers");
    }
    return new ImageManifest(image, raw.digest(), descriptor(manifest.path("config")), List.copyOf(layers));
  }

  /** Resolves and downloads every layer that is not in the blob store yet. */
  public PulledImage pull(ImageReference image) {
    return download(resolve(image));
  }

  public PulledImage download(ImageManifest manifest) {
    long begin = System.nanoTime();
    List<Path> files = new ArrayList<>();
    int present = 0;
    for (int i = 0; i < manifest.layers().size(); i++) {
      if (Files.isRegularFile(blobPath(manifest.layers().get(i)))) present++;
      files.add(layer(manifest, i));
    }
    LOG.info("pulled {} ({}): {} layers, {} already present, in {} ms", manifest.reference(), manifest.digest(),
        files.size(), present, (System.nanoTime() - begin) / 1_000_000);
    return new PulledImage(manifest, List.copyOf(files));
  }

  /** Layer {@code index} (0 is the lowest) of {@code manifest} in the blob store, downloaded unless already there. */
  public Path layer(ImageManifest manifest, int index) {
    Descriptor layer = manifest.layers().get(index);
    Path file = blobPath(layer);
    if (Files.isRegularFile(file)) return file;
    long begin = System.nanoTime();
    try {
      registry.blob(manifest.reference(), layer, file);
    } catch (IOException e) {
      throw new UncheckedIOException("image " + manifest.reference() + ": writing layer " + layer.digest()
          + " to " + file + " failed: " + e.getMessage(), e);
    }
    LOG.info("pulled layer {} of {} ({} bytes) in {} ms", index + 1, manifest.reference(), layer.size(),
        (System.nanoTime() - begin) / 1_000_000);
    return file;
  }

  public Path blobPath(Descriptor blob) {
    return blobs.resolve("sha256").resolve(blob.hex());
  }

  private Descriptor platformManifest(ImageReference image, JsonNode index) {
    List<String> offered = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      Descriptor d = descriptor(entry);
      offered.add(d.os() + "/" + d.architecture());
      if (os.equals(d.os()) && architecture.equals(d.architecture())) {
        return d;
      }
    }
    throw new OciException("image " + image + " has no " + os + "/" + architecture + " manifest (it has " + offered + ")");
  }

  private static Descriptor descriptor(JsonNode node) {
    JsonNode platform = node.path("platform");
    return new Descriptor(node.path("mediaType").asText(""), node.path("digest").asText(""), node.path("size").asLong(-1),
        platform.path("os").asText(null), platform.path("architecture").asText(null));
  }

  private static JsonNode read(byte[] content) {
    try {
      return JSON.readTree(content);
    } catch (IOException e) {
      throw new OciException("registry returned a manifest that is not JSON: " + e.getMessage(), e);
    }
  }
}
