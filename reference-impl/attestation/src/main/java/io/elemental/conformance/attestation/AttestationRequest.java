package io.elemental.conformance.attestation;

/**
 * A parsed token whose EK identity is known (and trusted, when a tpm-ca bundle is configured).
 * The operator looks the MachineInventory up by {@code tpmHash} at this point, before the AK is
 * checked, as elemental-operator does.
 */
public record AttestationRequest(AuthToken token, EndorsementKey ek, String tpmHash) {}
