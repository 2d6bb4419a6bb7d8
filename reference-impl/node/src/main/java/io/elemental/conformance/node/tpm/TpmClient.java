package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AuthToken;
import io.elemental.conformance.attestation.EncryptedCredential;
import io.elemental.conformance.attestation.EndorsementKey;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TPM, as elemental-register uses it: the EK identity, a fresh AK per registration,
 * and credential activation. It speaks the TPM 2.0 command protocol itself ({@link TpmCommands})
 * over swtpm's socket or a TPM device. Calls are serialised, and each opens its own connection,
 * because a TPM without a resource manager (swtpm) serves one command sequence at a time.
 */
public final class TpmClient {
  private static final Logger LOG = LoggerFactory.getLogger(TpmClient.class);
  /** What a real machine (or a VM with a TPM device) has. */
  public static final String DEFAULT_TCTI = "device:/dev/tpmrm0";

  private final String tcti;
  private EndorsementKey endorsementKey;

  /** {@code tcti}: e.g. {@code swtpm:host=127.0.0.1,port=2321} or {@code device:/dev/tpmrm0}. */
  public TpmClient(String tcti) {
    this.tcti = tcti;
  }

  /** TPM2TOOLS_TCTI when set (the variable tpm2-tools read, kept for compatibility), else the kernel's resource manager device. */
  public static TpmClient fromEnvironment() {
    String tcti = System.getenv("TPM2TOOLS_TCTI");
    return new TpmClient(tcti == null || tcti.isBlank() ? DEFAULT_TCTI : tcti);
  }

  public String tcti() {
    return tcti;
  }

  /** The EK identity (certificate or public key); read once, it does not change. */
  public synchronized EndorsementKey endorsementKey() {
    if (endorsementKey == null) {
      endorsementKey = withTpm(tpm -> new EndorsementKeyReader(tpm).read());
      LOG.info("TPM EK: {}", EndorsementKeyReader.describe(endorsementKey));
    }
    return endorsementKey;
  }

  /** A new AK and the token that presents it with the EK. */
  public synchronized TpmAuthentication authenticate() {
    EndorsementKey ek = endorsementKey();
    AttestationKey ak = withTpm(tpm -> new AttestationKeyMaker(tpm).create());
    return new TpmAuthentication(this, ek, ak, new AuthToken(ek.toPem(), ak.parameters()));
  }

  synchronized byte[] activate(AttestationKey ak, EncryptedCredential credential) {
    return withTpm(tpm -> new CredentialActivator(tpm).activate(ak, credential));
  }

  /**
   * One connection for one operation. Transient objects and sessions left by an interrupted run
   * are flushed first: without a resource manager they would stay and fill the TPM's slots.
   */
  private <T> T withTpm(Function<TpmCommands, T> operation) {
    Tcti address;
    try {
      address = Tcti.parse(tcti);
    } catch (IllegalArgumentException e) {
      throw new TpmCommandException(e.getMessage(), e);
    }
    try (TpmCommands tpm = TpmCommands.open(address)) {
      tpm.flushAll(TpmHandles.TRANSIENT_FIRST);
      tpm.flushAll(TpmHandles.LOADED_SESSION_FIRST);
      tpm.flushAll(TpmHandles.SAVED_SESSION_FIRST);
      return operation.apply(tpm);
    }
  }
}
