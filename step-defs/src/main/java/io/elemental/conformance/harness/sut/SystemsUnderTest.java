package io.elemental.conformance.harness.sut;

import io.elemental.conformance.harness.config.HarnessSettings;

/** Picks the adapter named by {@code -Delemental.sut}. */
public final class SystemsUnderTest {
  private SystemsUnderTest() {}

  public static ElementalSut named(String name, HarnessSettings settings) {
    return switch (name) {
      case "reference" -> new HostedReferenceOperatorSut(settings);
      case "reference-jvm" -> new InJvmReferenceOperatorSut();
      case "external" -> new ExternalSut();
      default -> throw new IllegalArgumentException("unknown elemental.sut '" + name
          + "'. Valid: reference (the Java operator of this repo, hosted in the cluster from its image and Helm chart,"
          + " default), reference-jvm (the same operator inside the test JVM), external (one already running in the"
          + " cluster given by -Delemental.cluster=kubeconfig)");
    };
  }
}
