package io.elemental.conformance.operator.inventory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${a/b/c}} placeholders from what a machine told about itself: its SMBIOS data and
 * system data merged into one tree, walked by path, string leaves only; plus
 * {@code ${Random/UUID}}, {@code ${Random/Hex/N}} (1-32) and {@code ${Random/Int/MAX}}.
 */
public final class Templater {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Object> data;

  /** {@code data}: SMBIOS first, system data over it (a shallow merge, as the real operator does). */
  public Templater(Map<String, Object> data) {
    this.data = data;
  }

  /** Replaces every placeholder; fails with "value not found" naming the first one that cannot be filled. */
  public String fill(String template) throws TemplateException {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(resolve(matcher.group(1))));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  public static boolean isRandom(String template) {
    return template.contains("${Random");
  }

  private String resolve(String path) throws TemplateException {
    String[] parts = path.split("/", -1);
    if (parts.length >= 2 && parts[0].equals("Random")) {
      return random(path, parts);
    }
    Object node = data;
    for (String part : parts) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
        throw new TemplateException("value not found: ${" + path + "}");
      }
      node = map.get(part);
    }
    if (!(node instanceof String value)) {
      throw new TemplateException("value not found: ${" + path + "} is not a string");
    }
    return value;
  }

  private static String random(String path, String[] parts) throws TemplateException {
    try {
      switch (parts[1]) {
        case "UUID":
          if (parts.length == 2) return UUID.randomUUID().toString();
          break;
        case "Hex":
          if (parts.length == 3) {
            int length = Integer.parseInt(parts[2]);
            if (length >= 1 && length <= 32) {
              byte[] bytes = new byte[(length + 1) / 2];
              RANDOM.nextBytes(bytes);
              return HexFormat.of().formatHex(bytes).substring(0, length);
            }
          }
          break;
        case "Int":
          if (parts.length == 3) {
            int max = Integer.parseInt(parts[2]);
            if (max > 0) return Integer.toString(RANDOM.nextInt(max));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TemplateException("value not found: ${" + path + "} is not a valid Random template");
  }

  /** A placeholder that could not be filled. */
  public static final class TemplateException extends Exception {
    public TemplateException(String message) {
      super(message);
    }
  }
}
