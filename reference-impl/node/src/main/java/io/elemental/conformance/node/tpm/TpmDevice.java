package io.elemental.conformance.node.tpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A kernel TPM character device ({@code /dev/tpmrm0}, or {@code /dev/tpm0} without the kernel's
 * resource manager): the whole command in one write, the whole response from the following
 * read(s), as the driver requires.
 */
final class TpmDevice implements TpmTransport {
  private final FileChannel channel;
  private final String path;

  private TpmDevice(FileChannel channel, String path) {
    this.channel = channel;
    this.path = path;
  }

  static TpmDevice open(String path) {
    try {
      // READ and WRITE without CREATE: a missing device must fail, not become a regular file.
      return new TpmDevice(FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE), path);
    } catch (IOException | RuntimeException e) {
      throw new TpmCommandException("cannot open the TPM device " + path + ": " + e
          + ". Fix: check the machine has a TPM 2.0 (ls -l /dev/tpm*) and this user may read and write it"
          + " (root, or the tss group)", e);
    }
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(command);
    int written = channel.write(out); // one write(2): the driver takes a command only whole
    if (written != command.length) {
      throw new IOException("the TPM device " + path + " took " + written + " of " + command.length + " command bytes");
    }
    ByteBuffer in = ByteBuffer.allocate(MAX_RESPONSE);
    int expected = -1;
    while (expected < 0 || in.position() < expected) {
      if (channel.read(in) <= 0) {
        throw new IOException("the TPM device " + path + " ended the response after " + in.position() + " byte(s)");
      }
      if (expected < 0 && in.position() >= 10) expected = TpmTransport.responseSize(in.array());
    }
    byte[] response = new byte[expected];
    System.arraycopy(in.array(), 0, response, 0, expected);
    return response;
  }

  @Override
  public String describe() {
    return "device:" + path;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the device keeps nothing for us once the response was read
    }
  }
}
