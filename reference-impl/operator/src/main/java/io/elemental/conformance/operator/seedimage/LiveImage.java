package io.elemental.conformance.operator.seedimage;

import java.nio.file.Path;

/** What every seed image of one OS image shares: the root as a squashfs, and the kernel and initrd that boot it. */
record LiveImage(String image, String manifestDigest, Path squashfs, Path kernel, Path initrd) {}
