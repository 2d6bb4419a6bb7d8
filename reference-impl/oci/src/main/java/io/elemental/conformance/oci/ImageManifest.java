package io.elemental.conformance.oci;

import java.util.List;

/**
 * One platform's image manifest, resolved from a tag or digest (through an index when the
 * registry holds a multi-platform image). {@code digest} identifies the image's content: the
 * same digest means the same layers.
 */
public record ImageManifest(ImageReference reference, String digest, Descriptor config, List<Descriptor> layers) {
  public long totalLayerBytes() {
    return layers.stream().mapToLong(Descriptor::size).sum();
  }
}
