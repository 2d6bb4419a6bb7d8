package io.elemental.conformance.oci;

import java.nio.file.Path;
import java.util.List;

/** An image whose layers are on local disk, verified, lowest layer first. */
public record PulledImage(ImageManifest manifest, List<Path> layers) {}
