package io.elemental.conformance.node.toolkit;

/**
 * What {@code state.yaml} says of one snapshot: where its image came from ({@code oci://ref} or
 * {@code dir:/path}), the manifest digest, when it was made, and by which action
 * ({@code install}, {@code upgrade}, {@code reset}).
 */
public record SnapshotRecord(int id, boolean active, String source, String digest, String date, String fromAction) {
  public SnapshotRecord asActive(boolean isActive) {
    return new SnapshotRecord(id, isActive, source, digest, date, fromAction);
  }
}
