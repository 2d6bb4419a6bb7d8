package io.elemental.conformance.attestation;

/**
 * go-attestation's EncryptedCredential. Both blobs carry their u16 size prefix:
 * {@code credential} is a TPM2B_ID_OBJECT, {@code secret} a TPM2B_ENCRYPTED_SECRET.
 */
public record EncryptedCredential(byte[] credential, byte[] secret) {}
