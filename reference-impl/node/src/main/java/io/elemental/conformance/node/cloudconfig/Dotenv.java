package io.elemental.conformance.node.cloudconfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /etc/environment} as yip reads and writes it (github.com/joho/godotenv v1.5.1):
 * read {@code KEY=value}, {@code KEY="value"}, {@code KEY='value'}, {@code export KEY=...},
 * comments; write the keys sorted, integers bare, every other value double-quoted with
 * {@code \ " ! $ `} escaped and newlines as {@code \n}.
 */
final class Dotenv {
  private static final Pattern LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z0-9_.\\-]+)\\s*[=:]\\s?(.*)$");
  private static final Pattern VARIABLE = Pattern.compile("(\\\\)?(\\$)(\\()?\\{?([A-Za-z0-9_]+)?}?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  private Dotenv() {}

  static Map<String, String> parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String raw : text.replace("\r\n", "\n").split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line);
      if (!m.matches()) continue;
      values.put(m.group(1), value(m.group(2).strip(), values));
    }
    return values;
  }

  private static String value(String raw, Map<String, String> known) {
    if (raw.startsWith("'")) {
      int end = raw.indexOf('\'', 1);
      return end < 0 ? raw.substring(1) : raw.substring(1, end);
    }
    if (raw.startsWith("\"")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length()) {
          char next = raw.charAt(++i);
          out.append(switch (next) {
            case 'n' -> "\n";
            case 'r' -> "\r";
            default -> String.valueOf(next);
          });
        } else if (c == '"') {
          break;
        } else {
          out.append(c);
        }
      }
      return expand(out.toString(), known);
    }
    int comment = raw.indexOf(" #");
    return expand((comment < 0 ? raw : raw.substring(0, comment)).strip(), known);
  }

  private static String expand(String value, Map<String, String> known) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null || m.group(3) != null) replacement = m.group().substring(1);
      else if (m.group(4) != null) replacement = known.getOrDefault(m.group(4), "");
      else replacement = m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String marshal(Map<String, String> values) {
    List<String> lines = new ArrayList<>();
    values.forEach((key, value) -> lines.add(isInteger(value) ? key + "=" + Long.parseLong(value.replace("+", ""))
        : key + "=\"" + escape(value) + "\""));
    lines.sort(Dotenv::compareBytes);
    return String.join("\n", lines) + "\n";
  }

  private static boolean isInteger(String value) {
    if (!INTEGER.matcher(value).matches()) return false;
    try {
      Long.parseLong(value.replace("+", ""));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String escape(String value) {
    String out = value.replace("\\", "\\\\");
    out = out.replace("\n", "\\n").replace("\r", "\\r");
    for (String c : List.of("\"", "!", "$", "`")) out = out.replace(c, "\\" + c);
    return out;
  }

  private static int compareBytes(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
