package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.EncryptedCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TPM2_ActivateCredential as go-attestation runs it (notes 4.3): the AK under the SRK, the EK at
 * 0x81010001 authorised by a policy session with PolicySecret(endorsement hierarchy).
 */
final class CredentialActivator {
  /** tpm2_makecredential's output file header: magic, version. */
  private static final int CREDENTIAL_FILE_MAGIC = 0xBADCC0DE;
  private static final int CREDENTIAL_FILE_VERSION = 1;

  private final Tpm2Tools tools;

  CredentialActivator(Tpm2Tools tools) {
    this.tools = tools;
  }

  byte[] activate(AttestationKey ak, EncryptedCredential credential) {
    try (PrivateTempDir tmp = new PrivateTempDir()) {
      Path dir = tmp.path();
      tools.flushTransient(dir);
      Files.write(tmp.resolve("ak.pub"), ak.publicFile());
      Files.write(tmp.resolve("ak.priv"), ak.privateFile());
      Files.write(tmp.resolve("cred.bin"), credentialFile(credential));
      tools.run(dir, "tpm2_load", "-C", TpmHandles.SRK, "-u", "ak.pub", "-r", "ak.priv", "-c", "ak.ctx");
      tools.flushTransient(dir);
      tools.run(dir, "tpm2_startauthsession", "--policy-session", "-S", "session.ctx");
      try {
        tools.run(dir, "tpm2_policysecret", "-S", "session.ctx", "-c", "e");
        tools.run(dir, "tpm2_activatecredential", "-c", "ak.ctx", "-C", TpmHandles.EK, "-i", "cred.bin",
            "-o", "secret.bin", "-P", "session:session.ctx");
      } finally {
        tools.succeeds(dir, "tpm2_flushcontext", "session.ctx");
        tools.flushTransient(dir);
      }
      return Files.readAllBytes(tmp.resolve("secret.bin"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot exchange files with tpm2_activatecredential", e);
    }
  }

  /** Both blobs keep their u16 size prefix, exactly as the server sent them. */
  static byte[] credentialFile(EncryptedCredential credential) {
    return ByteBuffer.allocate(8 + credential.credential().length + credential.secret().length)
        .putInt(CREDENTIAL_FILE_MAGIC).putInt(CREDENTIAL_FILE_VERSION)
        .put(credential.credential()).put(credential.secret()).array();
  }
}
