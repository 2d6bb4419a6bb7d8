package io.elemental.conformance.harness.sut;

/** Picks the adapter named by {@code -Delemental.sut}. */
public final class SystemsUnderTest {
  private SystemsUnderTest() {}

  public static ElementalSut named(String name) {
    return switch (name) {
      case "reference" -> new ReferenceOperatorSut();
      case "external" -> new ExternalSut();
      default -> throw new IllegalArgumentException("unknown elemental.sut '" + name
          + "'. Valid: reference (the Java operator in this repo, default), external (one already running"
          + " in the cluster given by -Delemental.cluster=kubeconfig)");
    };
  }
}
