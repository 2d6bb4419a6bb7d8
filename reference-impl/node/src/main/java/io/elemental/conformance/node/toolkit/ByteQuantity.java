package io.elemental.conformance.node.toolkit;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size written as a Kubernetes quantity ({@code 10Gi}, {@code 500M}, {@code 1.5Ti}, {@code
 * 1073741824}), which is how {@code device-selector} sizes are written; in bytes.
 */
final class ByteQuantity {
  private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
      Map.entry("k", BigDecimal.valueOf(1_000L)), Map.entry("M", BigDecimal.valueOf(1_000_000L)),
      Map.entry("G", BigDecimal.valueOf(1_000_000_000L)), Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)),
      Map.entry("P", BigDecimal.valueOf(1_000_000_000_000_000L)), Map.entry("E", BigDecimal.TEN.pow(18)));

  private ByteQuantity() {}

  static long parse(String text) {
    Matcher m = QUANTITY.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new ToolkitException("install.device-selector: '" + text + "' is not a size. Fix: write a Kubernetes"
          + " quantity such as 10Gi, 500G or 1073741824");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    if (m.group(2) != null) value = value.multiply(SUFFIXES.get(m.group(2)));
    return value.longValue();
  }
}
