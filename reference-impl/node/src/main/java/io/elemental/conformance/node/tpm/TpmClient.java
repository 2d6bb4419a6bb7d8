package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AuthToken;
import io.elemental.conformance.attestation.EncryptedCredential;
import io.elemental.conformance.attestation.EndorsementKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TPM, as elemental-register uses it: the EK identity, a fresh AK per registration,
 * and credential activation. Commands go through tpm2-tools; calls are serialised because a TPM
 * without a resource manager cannot serve two command sequences at once.
 */
public final class TpmClient {
  private static final Logger LOG = LoggerFactory.getLogger(TpmClient.class);
  /** What a real machine (or a VM with a TPM device) has. */
  public static final String DEFAULT_TCTI = "device:/dev/tpmrm0";

  private final Tpm2Tools tools;
  private EndorsementKey endorsementKey;

  /** {@code tcti}: e.g. {@code swtpm:host=127.0.0.1,port=2321} or {@code device:/dev/tpmrm0}. */
  public TpmClient(String tcti) {
    this.tools = new Tpm2Tools(tcti);
  }

  /** TPM2TOOLS_TCTI when set, else the kernel's resource manager device. */
  public static TpmClient fromEnvironment() {
    String tcti = System.getenv("TPM2TOOLS_TCTI");
    return new TpmClient(tcti == null || tcti.isBlank() ? DEFAULT_TCTI : tcti);
  }

  public String tcti() {
    return tools.tcti();
  }

  /** The EK identity (certificate or public key); read once, it does not change. */
  public synchronized EndorsementKey endorsementKey() {
    if (endorsementKey == null) {
      endorsementKey = new EndorsementKeyReader(tools).read();
      LOG.info("TPM EK: {}", EndorsementKeyReader.describe(endorsementKey));
    }
    return endorsementKey;
  }

  /** A new AK and the token that presents it with the EK. */
  public synchronized TpmAuthentication authenticate() {
    EndorsementKey ek = endorsementKey();
    AttestationKey ak = new AttestationKeyMaker(tools).create();
    return new TpmAuthentication(this, ek, ak, new AuthToken(ek.toPem(), ak.parameters()));
  }

  synchronized byte[] activate(AttestationKey ak, EncryptedCredential credential) {
    return new CredentialActivator(tools).activate(ak, credential);
  }
}
