package io.elemental.conformance.attestation.tpm2;

import java.util.Arrays;
import java.util.Optional;

/**
 * A TPM2B_NAME as go-tpm decodes it: empty, a 4-byte handle, or a TPMT_HA (hash alg + digest).
 * Bytes after the digest inside the name are ignored, as go-tpm ignores them.
 */
public final class TpmName {
  private final Optional<Long> handle;
  private final int hashAlg;
  private final byte[] digest;

  private TpmName(Optional<Long> handle, int hashAlg, byte[] digest) {
    this.handle = handle;
    this.hashAlg = hashAlg;
    this.digest = digest;
  }

  public static TpmName read(TpmBuffer in, String what) throws TpmFormatException {
    byte[] name = in.sized(what);
    if (name.length == 0) {
      return new TpmName(Optional.empty(), TpmAlg.NULL, null);
    }
    TpmBuffer inner = new TpmBuffer(name);
    if (name.length == 4) {
      return new TpmName(Optional.of(inner.u32(what + " handle")), TpmAlg.NULL, null);
    }
    int alg = inner.u16(what + " hash algorithm");
    int size;
    try {
      size = TpmAlg.digestSize(alg);
    } catch (TpmFormatException e) {
      throw new TpmFormatException(what + ": " + e.getMessage());
    }
    return new TpmName(Optional.empty(), alg, inner.bytes(size, what + " digest"));
  }

  /** A digest name computed by us, e.g. from a TPMT_PUBLIC. */
  public static TpmName ofDigest(int hashAlg, byte[] digest) {
    return new TpmName(Optional.empty(), hashAlg, digest.clone());
  }

  public boolean hasDigest() {
    return digest != null;
  }

  public Optional<Long> handle() {
    return handle;
  }

  public int hashAlg() {
    return hashAlg;
  }

  public byte[] digest() {
    return digest == null ? null : digest.clone();
  }

  /** TPMT_HA: u16 hash alg || digest; what MakeCredential binds the credential to. */
  public byte[] encodedHashValue() {
    if (digest == null) {
      throw new IllegalStateException("name has no digest");
    }
    byte[] out = new byte[2 + digest.length];
    out[0] = (byte) (hashAlg >> 8);
    out[1] = (byte) hashAlg;
    System.arraycopy(digest, 0, out, 2, digest.length);
    return out;
  }

  @Override
  public String toString() {
    if (digest != null) {
      StringBuilder hex = new StringBuilder();
      for (byte b : encodedHashValue()) hex.append(String.format("%02x", b));
      return hex.toString();
    }
    return handle.map(h -> String.format("handle 0x%08x", h)).orElse("(empty name)");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpmName other && handle.equals(other.handle) && hashAlg == other.hashAlg
        && Arrays.equals(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return 31 * handle.hashCode() + Arrays.hashCode(digest);
  }
}
