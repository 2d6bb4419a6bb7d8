package io.elemental.conformance.node.toolkit.simulated;

import java.nio.file.Path;

/**
 * What a simulated boot came up as: the GRUB entry, its mode (active, passive, recovery, live),
 * the kernel command line, the root file system, and whether its health checks passed.
 */
public record BootedSystem(String entry, String mode, String cmdline, Path root, boolean healthy, String failure) {}
