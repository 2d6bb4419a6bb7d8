package io.elemental.conformance.harness.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Every knob of a run, read once from system properties (failsafe passes the {@code -D}
 * values through). One place, so the README's table and the code cannot drift.
 */
public record HarnessSettings(
    String cluster,
    String sut,
    double timeoutScale,
    Optional<Path> kubeconfig,
    String k3sImage,
    Path cacheDir,
    Path workDir,
    Path reportsDir) {

  public static HarnessSettings fromSystemProperties() {
    String home = System.getProperty("user.home");
    Path cache = Path.of(firstNonBlank(System.getenv("ELEMENTAL_CACHE"), home + "/.cache/elemental-harness"));
    return new HarnessSettings(
        prop("elemental.cluster", "auto").toLowerCase(Locale.ROOT),
        prop("elemental.sut", "reference").toLowerCase(Locale.ROOT),
        parseScale(prop("elemental.timeout.scale", "1")),
        Optional.ofNullable(blankToNull(firstNonBlank(prop("elemental.kubeconfig", ""), System.getenv("KUBECONFIG"))))
            .map(Path::of),
        prop("elemental.k3s.image", "rancher/k3s:v1.30.6-k3s1"),
        cache,
        Path.of(prop("elemental.work.dir", "target/elemental")).toAbsolutePath(),
        Path.of(prop("elemental.reports.dir", "target/reports")).toAbsolutePath());
  }

  /** A timeout from the specs, stretched by {@code elemental.timeout.scale} for slow machines. */
  public Duration scaled(Duration base) {
    return Duration.ofMillis(Math.round(base.toMillis() * timeoutScale));
  }

  private static double parseScale(String value) {
    try {
      double scale = Double.parseDouble(value);
      if (scale > 0) return scale;
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("elemental.timeout.scale must be a positive number, got '" + value
        + "'. Fix: -Delemental.timeout.scale=2 (for example)");
  }

  private static String prop(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
