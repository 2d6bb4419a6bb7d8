package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.AttestationParameters;

/**
 * A fresh AK (a new one per registration, like go-attestation): its TPM2B_PUBLIC and
 * TPM2B_PRIVATE as TPM2_Create returned them (size prefix included; the private part is wrapped
 * by the SRK, so it is useless off this TPM), and the parameters the server checks.
 */
public record AttestationKey(byte[] publicFile, byte[] privateFile, AttestationParameters parameters) {}
