package io.elemental.conformance.node.tpm;

import java.io.IOException;

/**
 * Carries one TPM 2.0 command (the marshalled bytes, header included) to the TPM and brings back
 * its response. One transport is one connection: commands go one at a time, in order.
 */
interface TpmTransport extends AutoCloseable {
  /** The largest response a TPM 2.0 sends (TPM_BUFFER_MAX is 4096 on every TPM we know). */
  int MAX_RESPONSE = 8192;

  byte[] transmit(byte[] command) throws IOException;

  /** Where the commands go, for error messages. */
  String describe();

  @Override
  void close();

  /** The response size from the 10-byte header (tag u16, size u32, code u32). */
  static int responseSize(byte[] header) throws IOException {
    long size = ((long) (header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
        | (header[5] & 0xff);
    if (size < 10 || size > MAX_RESPONSE) {
      throw new IOException("the TPM answered with an impossible response size " + size);
    }
    return (int) size;
  }
}
