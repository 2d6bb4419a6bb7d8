package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AkVerifier;
import io.elemental.conformance.attestation.AttestationException;
import io.elemental.conformance.attestation.AttestationParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * go-attestation's newAK with tpm2-tools (notes 4.2): under the persistent SRK, a restricted
 * RSASSA-SHA256 signing key with creation data, certified by itself with TPM2_CertifyCreation.
 */
final class AttestationKeyMaker {
  private static final String SRK_ATTRIBUTES =
      "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda";
  private static final String AK_ATTRIBUTES =
      "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign|noda";

  private final Tpm2Tools tools;

  AttestationKeyMaker(Tpm2Tools tools) {
    this.tools = tools;
  }

  AttestationKey create() {
    try (PrivateTempDir tmp = new PrivateTempDir()) {
      Path dir = tmp.path();
      tools.flushTransient(dir); // leftovers of an interrupted run
      ensureSrk(dir);
      tools.run(dir, "tpm2_create", "-C", TpmHandles.SRK, "-g", "sha256", "-G", "rsa2048:rsassa-sha256:null",
          "-a", AK_ATTRIBUTES, "-u", "ak.pub", "-r", "ak.priv", "--creation-data", "ak.cdata", "-d", "ak.chash",
          "-t", "ak.ticket");
      tools.flushTransient(dir);
      tools.run(dir, "tpm2_load", "-C", TpmHandles.SRK, "-u", "ak.pub", "-r", "ak.priv", "-c", "ak.ctx");
      tools.flushTransient(dir);
      try {
        tools.run(dir, "tpm2_certifycreation", "-C", "ak.ctx", "-c", "ak.ctx", "-d", "ak.chash", "-t", "ak.ticket",
            "-g", "sha256", "-s", "rsassa", "-f", "tss", "-o", "ak.sig", "--attestation", "ak.attest");
      } finally {
        tools.flushTransient(dir);
      }
      byte[] publicFile = Files.readAllBytes(tmp.resolve("ak.pub"));
      AttestationParameters parameters = new AttestationParameters(
          withoutSize(publicFile), false, withoutSize(Files.readAllBytes(tmp.resolve("ak.cdata"))),
          Files.readAllBytes(tmp.resolve("ak.attest")), Files.readAllBytes(tmp.resolve("ak.sig")));
      selfCheck(parameters);
      return new AttestationKey(publicFile, Files.readAllBytes(tmp.resolve("ak.priv")), parameters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the AK files tpm2-tools wrote", e);
    }
  }

  private void ensureSrk(Path dir) {
    if (tools.succeeds(dir, "tpm2_readpublic", "-c", TpmHandles.SRK)) return;
    tools.run(dir, "tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "rsa2048:null:aes128cfb",
        "-a", SRK_ATTRIBUTES, "-c", "srk.ctx");
    tools.run(dir, "tpm2_evictcontrol", "-C", "o", "-c", "srk.ctx", TpmHandles.SRK);
    tools.flushTransient(dir);
  }

  /** tpm2-tools files are TPM2B (u16 size first); the token wants the bare structure. */
  private static byte[] withoutSize(byte[] tpm2b) {
    return Arrays.copyOfRange(tpm2b, Math.min(2, tpm2b.length), tpm2b.length);
  }

  /** Catches a tpm2-tools format change here rather than as a refused registration. */
  private static void selfCheck(AttestationParameters parameters) {
    try {
      AkVerifier.verify(parameters);
    } catch (AttestationException e) {
      throw new TpmCommandException("the AK made with tpm2-tools fails the server's checks: " + e.getMessage(), e);
    }
  }
}
