package io.elemental.conformance.attestation;

import io.elemental.conformance.attestation.tpm2.TpmName;
import io.elemental.conformance.attestation.tpm2.TpmsAttest;
import io.elemental.conformance.attestation.tpm2.TpmtPublic;

/** An AK that passed the checks; {@code objectName} (from the attestation) is what the credential binds to. */
public record VerifiedAk(TpmtPublic publicArea, TpmsAttest creationAttestation, TpmName objectName) {}
