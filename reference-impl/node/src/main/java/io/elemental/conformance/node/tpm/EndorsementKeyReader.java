package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.EndorsementKey;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EK the token carries, found as go-attestation finds it: the certificate in NV 0x01c00002
 * when it parses, otherwise the RSA EK's public key. Also makes sure the EK is persistent at
 * 0x81010001, where credential activation looks for it (go-attestation persists it there too).
 */
final class EndorsementKeyReader {
  private static final Logger LOG = LoggerFactory.getLogger(EndorsementKeyReader.class);
  /** TPM_PT_NV_BUFFER_MAX: the largest TPM2_NV_Read. */
  private static final int PT_NV_BUFFER_MAX = 0x12C;
  /** What every TPM 2.0 accepts when it does not say. */
  private static final int SAFE_NV_CHUNK = 512;

  private final TpmCommands tpm;

  EndorsementKeyReader(TpmCommands tpm) {
    this.tpm = tpm;
  }

  EndorsementKey read() {
    byte[] ekPublic = persistentEkPublic();
    Optional<EndorsementKey> fromCertificate = certificate();
    if (fromCertificate.isPresent()) return fromCertificate.get();
    try {
      return EndorsementKey.ofPublicKey(TpmtPublic.parse(ekPublic).rsaPublicKey().getEncoded());
    } catch (AttestationException e) {
      throw new TpmCommandException("the EK at " + TpmHandles.hex(TpmHandles.EK) + " is not a usable RSA key: "
          + e.getMessage() + ". Fix: evict it (tpm2_evictcontrol -C o -c 0x81010001) so the default RSA EK is"
          + " made there", e);
    }
  }

  /** The EK's TPMT_PUBLIC; creates the default RSA EK (tpm2_createek -G rsa) when none is there. */
  private byte[] persistentEkPublic() {
    try {
      return tpm.readPublic(TpmHandles.EK);
    } catch (TpmCommandException e) {
      if (!e.isMissingHandle()) throw e;
    }
    LOG.info("no EK at {}; creating the default RSA EK there", TpmHandles.hex(TpmHandles.EK));
    int handle = tpm.createPrimary(TpmHandles.RH_ENDORSEMENT, TpmTemplates.endorsementKey());
    try {
      tpm.evictControl(handle, TpmHandles.EK);
    } finally {
      tpm.flushQuietly(handle);
    }
    return tpm.readPublic(TpmHandles.EK);
  }

  private Optional<EndorsementKey> certificate() {
    TpmCommands.NvPublic nv;
    try {
      nv = tpm.nvReadPublic(TpmHandles.EK_CERT_NV);
    } catch (TpmCommandException e) {
      if (e.isMissingHandle()) return Optional.empty();
      throw e;
    }
    byte[] der = certificateDer(readNv(nv));
    try {
      return Optional.of(EndorsementKey.ofCertificate(der));
    } catch (AttestationException e) {
      LOG.warn("NV {} holds no parseable certificate ({}); sending the EK public key",
          TpmHandles.hex(TpmHandles.EK_CERT_NV), e.getMessage());
      return Optional.empty();
    }
  }

  /** The whole index, in chunks the TPM accepts; authorized as tpm2_nvread does (the index, else the owner). */
  private byte[] readNv(TpmCommands.NvPublic nv) {
    int auth = (nv.attributes() & TpmCommands.NvPublic.AUTHREAD) != 0 ? TpmHandles.EK_CERT_NV
        : (nv.attributes() & TpmCommands.NvPublic.OWNERREAD) != 0 ? TpmHandles.RH_OWNER : TpmHandles.EK_CERT_NV;
    long max = tpm.property(PT_NV_BUFFER_MAX);
    int chunk = max > 0 ? (int) Math.min(max, 4096) : SAFE_NV_CHUNK;
    ByteArrayOutputStream out = new ByteArrayOutputStream(nv.dataSize());
    for (int offset = 0; offset < nv.dataSize(); offset += chunk) {
      out.writeBytes(tpm.nvRead(auth, TpmHandles.EK_CERT_NV, Math.min(chunk, nv.dataSize() - offset), offset));
    }
    return out.toByteArray();
  }

  /** Strips the TCG wrapper (10 01 00 u16-length) and NV padding, as go-attestation's ParseEKCertificate. */
  static byte[] certificateDer(byte[] nv) {
    byte[] data = nv;
    if (data.length > 5 && data[0] == 0x10 && data[1] == 0x01 && data[2] == 0x00) {
      int length = ((data[3] & 0xff) << 8) | (data[4] & 0xff);
      data = Arrays.copyOfRange(data, 5, Math.min(data.length, 5 + length));
    }
    if (data.length < 2 || data[0] != 0x30) return data;
    int lengthByte = data[1] & 0xff;
    int total;
    if (lengthByte < 0x80) {
      total = 2 + lengthByte;
    } else {
      int octets = lengthByte & 0x7f;
      if (octets == 0 || octets > 3 || data.length < 2 + octets) return data;
      int length = 0;
      for (int i = 0; i < octets; i++) length = (length << 8) | (data[2 + i] & 0xff);
      total = 2 + octets + length;
    }
    return total <= data.length ? Arrays.copyOf(data, total) : data;
  }

  static String describe(EndorsementKey ek) {
    return ek.certificate().map(c -> "certificate " + c.getSubjectX500Principal().getName()).orElse("public key")
        + ", tpmHash " + ek.tpmHash();
  }
}
