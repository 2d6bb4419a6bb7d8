package io.elemental.conformance.operator.inventory;

import java.util.Locale;

/** How rendered templates become Kubernetes names and label values (ELEMENTAL.md §4). */
public final class Names {
  private static final int MAX = 58;

  private Names() {}

  /** Inventory names: only [0-9a-zA-Z.], dashes collapsed and trimmed, at most 58, lower case. */
  public static String inventoryName(String rendered) {
    return trim(rendered.replaceAll("[^0-9a-zA-Z.]", "-")).toLowerCase(Locale.ROOT);
  }

  /** Label values: as names, but {@code _} allowed and case kept. */
  public static String labelValue(String rendered) {
    return trim(rendered.replaceAll("[^0-9a-zA-Z._]", "-"));
  }

  private static String trim(String dashed) {
    String collapsed = dashed.replaceAll("-+", "-").replaceAll("^[^0-9a-zA-Z]+|[^0-9a-zA-Z]+$", "");
    String cut = collapsed.length() > MAX ? collapsed.substring(0, MAX) : collapsed;
    // Cutting may leave a trailing separator, which Kubernetes refuses.
    return cut.replaceAll("[^0-9a-zA-Z]+$", "");
  }
}
