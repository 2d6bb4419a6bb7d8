package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.EndorsementKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

  private final Tpm2Tools tools;

  EndorsementKeyReader(Tpm2Tools tools) {
    this.tools = tools;
  }

  EndorsementKey read() {
    try (PrivateTempDir tmp = new PrivateTempDir()) {
      ensurePersistentEk(tmp);
      Optional<EndorsementKey> fromCertificate = certificate(tmp);
      if (fromCertificate.isPresent()) return fromCertificate.get();
      tools.run(tmp.path(), "tpm2_readpublic", "-c", TpmHandles.EK, "-f", "pem", "-o", "ek.pem");
      tools.flushTransient(tmp.path());
      return EndorsementKey.fromPem(Files.readAllBytes(tmp.resolve("ek.pem")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the EK public key written by tpm2_readpublic", e);
    } catch (AttestationException e) {
      throw new TpmCommandException("tpm2_readpublic gave an EK public key that does not parse: " + e.getMessage(), e);
    }
  }

  private void ensurePersistentEk(PrivateTempDir tmp) {
    if (tools.succeeds(tmp.path(), "tpm2_readpublic", "-c", TpmHandles.EK)) return;
    LOG.info("no EK at {}; creating the default RSA EK there", TpmHandles.EK);
    tools.run(tmp.path(), "tpm2_createek", "-c", TpmHandles.EK, "-G", "rsa", "-u", "ek.pub");
    tools.flushTransient(tmp.path());
  }

  private Optional<EndorsementKey> certificate(PrivateTempDir tmp) throws IOException {
    String indices = tools.run(tmp.path(), "tpm2_getcap", "handles-nv-index");
    if (!indices.toLowerCase().contains("0x1c00002")) return Optional.empty();
    tools.run(tmp.path(), "tpm2_nvread", TpmHandles.EK_CERT_NV, "-o", "ek.crt");
    byte[] der = certificateDer(Files.readAllBytes(tmp.resolve("ek.crt")));
    try {
      return Optional.of(EndorsementKey.ofCertificate(der));
    } catch (AttestationException e) {
      LOG.warn("NV {} holds no parseable certificate ({}); sending the EK public key", TpmHandles.EK_CERT_NV,
          e.getMessage());
      return Optional.empty();
    }
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
