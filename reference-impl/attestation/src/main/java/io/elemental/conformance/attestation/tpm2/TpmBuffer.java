package io.elemental.conformance.attestation.tpm2;

import java.util.Arrays;

/**
 * Big-endian reader over TPM wire bytes. Every read checks the remaining length first, so a
 * truncated or hostile structure gives a {@link TpmFormatException}, never an index error.
 */
public final class TpmBuffer {
  private final byte[] data;
  private int position;

  public TpmBuffer(byte[] data) {
    this.data = data == null ? new byte[0] : data;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return data.length - position;
  }

  /** The bytes read so far; a structure's exact encoding when it was read from offset 0. */
  public byte[] consumed() {
    return Arrays.copyOf(data, position);
  }

  public int u8(String what) throws TpmFormatException {
    return bytes(1, what)[0] & 0xff;
  }

  public int u16(String what) throws TpmFormatException {
    byte[] b = bytes(2, what);
    return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
  }

  public long u32(String what) throws TpmFormatException {
    byte[] b = bytes(4, what);
    return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  public long u64(String what) throws TpmFormatException {
    return (u32(what) << 32) | u32(what);
  }

  public byte[] bytes(int length, String what) throws TpmFormatException {
    if (length < 0 || length > remaining()) {
      throw new TpmFormatException(what + ": needs " + length + " byte(s) at offset " + position
          + " but only " + remaining() + " remain");
    }
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** A TPM2B: u16 size, then that many bytes. */
  public byte[] sized(String what) throws TpmFormatException {
    int size = u16(what + " size");
    return bytes(size, what);
  }
}
