package io.elemental.conformance.node.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reset tells a seed ISO kept as recovery image from a squashfs by the ISO 9660 volume descriptor. */
class RecoveryImageFormatTest {
  @TempDir Path dir;

  @Test
  void anIsoIsKnownByItsVolumeDescriptorAnythingElseIsNot() throws IOException {
    byte[] iso = new byte[34816];
    iso[32768] = 1;
    System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, iso, 32769, 5);
    assertThat(Resetter.isIso9660(Files.write(dir.resolve("seed.iso"), iso))).isTrue();

    byte[] squashfs = new byte[34816];
    System.arraycopy("hsqs".getBytes(StandardCharsets.US_ASCII), 0, squashfs, 0, 4);
    assertThat(Resetter.isIso9660(Files.write(dir.resolve("recovery.img"), squashfs))).isFalse();
    assertThat(Resetter.isIso9660(Files.write(dir.resolve("short.img"), new byte[100]))).isFalse();
  }
}
