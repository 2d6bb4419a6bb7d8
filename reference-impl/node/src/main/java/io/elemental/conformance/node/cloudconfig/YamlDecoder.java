package io.elemental.conformance.node.cloudconfig;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads SnakeYAML nodes into Java values the way yip's {@code gopkg.in/yaml.v3} decodes them into
 * Go fields, so a file yip rejects is rejected here too: a value of the wrong kind (a quoted
 * {@code "0644"} for an integer, a string where a list belongs, a duplicate key) is a type error
 * with its line, and any type error makes yip skip the whole file. Plain scalars resolve as
 * yaml.v3 resolves them: {@code 0644} is octal, {@code 0x1f} hex, {@code yes} a string (a bool only
 * where a bool is expected).
 */
final class YamlDecoder {
  private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
  private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
  private static final Set<String> FALSE = Set.of("false", "False", "FALSE");
  private static final Set<String> LAX_TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON");
  private static final Set<String> LAX_FALSE = Set.of("n", "N", "no", "No", "NO", "off", "Off", "OFF");
  private static final Pattern FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");

  /** A value yaml.v3 would refuse for its field; {@code line} is 1-based. */
  record TypeError(int line, String message) {
    @Override
    public String toString() {
      return "line " + line + ": " + message;
    }
  }

  private final List<TypeError> errors = new ArrayList<>();

  List<TypeError> errors() {
    return List.copyOf(errors);
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node node) {
    if (node == null) return true;
    return node instanceof ScalarNode s && isPlain(s) && NULLS.contains(s.getValue());
  }

  private static boolean isPlain(ScalarNode node) {
    return node.getScalarStyle() == ScalarStyle.PLAIN;
  }

  private void fail(Node node, String expected) {
    errors.add(new TypeError(line(node), "cannot unmarshal " + kind(node) + " into " + expected));
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) return "!!map";
    if (node instanceof SequenceNode) return "!!seq";
    ScalarNode scalar = (ScalarNode) node;
    String tag = isPlain(scalar) ? resolvedTag(scalar.getValue()) : "!!str";
    return tag + " `" + scalar.getValue() + "`";
  }

  /** A Go string field: any scalar as written; null is "". */
  String string(Node node, String what) {
    if (isNull(node)) return "";
    if (node instanceof ScalarNode scalar) return scalar.getValue();
    fail(node, "string (" + what + ")");
    return "";
  }

  /** A Go integer field ({@code int} or {@code uint32}): plain numbers only, in range; null is 0. */
  long integer(Node node, String goType, long min, long max, String what) {
    if (isNull(node)) return 0;
    if (node instanceof ScalarNode scalar && isPlain(scalar)) {
      Optional<BigDecimal> number = number(scalar.getValue());
      if (number.isPresent()) {
        BigInteger whole = number.get().toBigInteger();
        if (whole.compareTo(BigInteger.valueOf(min)) >= 0 && whole.compareTo(BigInteger.valueOf(max)) <= 0) {
          return whole.longValueExact();
        }
      }
    }
    fail(node, goType + " (" + what + ")");
    return 0;
  }

  /** A Go bool field: true/false, and where a bool is expected also yes/no/on/off/y/n (even quoted). */
  boolean bool(Node node, String what) {
    if (isNull(node)) return false;
    if (node instanceof ScalarNode scalar) {
      String value = scalar.getValue();
      if (isPlain(scalar) && TRUE.contains(value)) return true;
      if (isPlain(scalar) && FALSE.contains(value)) return false;
      boolean isString = !isPlain(scalar) || "!!str".equals(resolvedTag(value));
      if (isString && LAX_TRUE.contains(value)) return true;
      if (isString && LAX_FALSE.contains(value)) return false;
    }
    fail(node, "bool (" + what + ")");
    return false;
  }

  /** A Go {@code []string}: a sequence of scalars; null is empty. */
  List<String> strings(Node node, String what) {
    return list(node, what, "[]string", element -> string(element, what));
  }

  /** A Go slice of {@code element}: a sequence; null is empty; any other node a type error. */
  <T> List<T> list(Node node, String what, String goType, Function<Node, T> element) {
    if (isNull(node)) return List.of();
    if (!(node instanceof SequenceNode sequence)) {
      fail(node, goType + " (" + what + ")");
      return List.of();
    }
    List<T> values = new ArrayList<>();
    for (Node item : sequence.getValue()) values.add(element.apply(item));
    return values;
  }

  /** A Go {@code map[string]string}. */
  Map<String, String> stringMap(Node node, String what) {
    return map(node, what, "map[string]string", value -> string(value, what));
  }

  /** A Go map with string keys; null is empty; duplicate keys are errors, as in yaml.v3. */
  <T> Map<String, T> map(Node node, String what, String goType, Function<Node, T> value) {
    Map<String, T> values = new LinkedHashMap<>();
    for (NodeTuple entry : entries(node, what, goType)) {
      values.put(keyOf(entry), value.apply(entry.getValueNode()));
    }
    return values;
  }

  /** The entries of a mapping (a struct or a map), duplicate keys reported; null has none. */
  List<NodeTuple> entries(Node node, String what, String goType) {
    if (isNull(node)) return List.of();
    if (!(node instanceof MappingNode mapping)) {
      fail(node, goType + " (" + what + ")");
      return List.of();
    }
    Map<String, Node> seen = new LinkedHashMap<>();
    List<NodeTuple> entries = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple);
      Node first = seen.putIfAbsent(key, tuple.getKeyNode());
      if (first != null) {
        errors.add(new TypeError(line(tuple.getKeyNode()), "mapping key \"" + key + "\" already defined at line "
            + line(first)));
        continue;
      }
      entries.add(tuple);
    }
    return entries;
  }

  static String keyOf(NodeTuple tuple) {
    return tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : "";
  }

  /** yaml.v3's tag for a plain scalar. */
  static String resolvedTag(String value) {
    if (NULLS.contains(value)) return "!!null";
    if (TRUE.contains(value) || FALSE.contains(value)) return "!!bool";
    if (Set.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN")
        .contains(value)) {
      return "!!float";
    }
    if (number(value).isEmpty()) return "!!str";
    return goInteger(value.replace("_", "")).isPresent() ? "!!int" : "!!float";
  }

  /**
   * A plain scalar as yaml.v3 reads a number: underscores dropped, then Go's base-0 integer syntax
   * (sign; 0x hex, 0o or a leading 0 octal, 0b binary; decimal), else a YAML float.
   */
  static Optional<BigDecimal> number(String raw) {
    if (raw.isEmpty()) return Optional.empty();
    char first = raw.charAt(0);
    if (!(Character.isDigit(first) || first == '+' || first == '-' || first == '.')) return Optional.empty();
    String plain = raw.replace("_", "");
    Optional<BigInteger> integer = goInteger(plain);
    if (integer.isPresent()) return Optional.of(new BigDecimal(integer.get()));
    if (FLOAT.matcher(plain).matches()) {
      try {
        return Optional.of(new BigDecimal(plain));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<BigInteger> goInteger(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("+") || s.startsWith("-")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    int radix = 10;
    if (s.length() > 1 && s.charAt(0) == '0') {
      char p = Character.toLowerCase(s.charAt(1));
      if (p == 'x') {
        radix = 16;
        s = s.substring(2);
      } else if (p == 'o') {
        radix = 8;
        s = s.substring(2);
      } else if (p == 'b') {
        radix = 2;
        s = s.substring(2);
      } else {
        radix = 8;
        s = s.substring(1);
      }
    }
    final int base = radix;
    if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, base) >= 0)) return Optional.empty();
    BigInteger value = new BigInteger(s, base);
    if (negative) value = value.negate();
    // Go's ParseInt/ParseUint stop at 64 bits.
    if (value.bitLength() > 64 || value.signum() < 0 && value.bitLength() > 63) return Optional.empty();
    return Optional.of(value);
  }
}
