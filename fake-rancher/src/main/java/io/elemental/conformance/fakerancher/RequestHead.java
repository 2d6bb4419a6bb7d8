package io.elemental.conformance.fakerancher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.x request's head: its request line and its header fields in the order they came.
 * Field values are kept as their bytes were (ISO-8859-1), so a head written out again says what
 * the client said, give or take the fields a proxy sets.
 */
final class RequestHead {
  record Field(String name, String value) {
    boolean is(String other) {
      return name.equalsIgnoreCase(other);
    }
  }

  private final String method;
  private final String target;
  private final String version;
  private final List<Field> fields;

  RequestHead(String method, String target, String version, List<Field> fields) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.fields = List.copyOf(fields);
  }

  String method() {
    return method;
  }

  /** The request target as sent (origin form: path and query). */
  String target() {
    return target;
  }

  /** The target's path: what routes are matched on. */
  String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  String version() {
    return version;
  }

  List<Field> fields() {
    return fields;
  }

  Optional<String> field(String name) {
    return fields.stream().filter(f -> f.is(name)).map(Field::value).findFirst();
  }

  /** Whether the client asks to switch protocols (a websocket's opening handshake). */
  boolean isUpgrade() {
    return field("upgrade").isPresent()
        && field("connection").map(c -> c.toLowerCase(Locale.ROOT).contains("upgrade")).orElse(false);
  }

  /**
   * This head as a TLS-terminating proxy passes it on: {@code X-Forwarded-For} is the client's
   * address and {@code X-Forwarded-Proto} is {@code https}. What the client itself said in
   * those fields is dropped, as an ingress that does not trust its clients' forwarding headers
   * does.
   */
  RequestHead forwardedFrom(String clientAddress) {
    List<Field> forwarded = new ArrayList<>();
    for (Field field : fields) {
      if (!field.is("x-forwarded-for") && !field.is("x-forwarded-proto")) forwarded.add(field);
    }
    forwarded.add(new Field("X-Forwarded-For", clientAddress));
    forwarded.add(new Field("X-Forwarded-Proto", "https"));
    return new RequestHead(method, target, version, forwarded);
  }

  /** The head on the wire: CRLF line ends, an empty line last. */
  byte[] bytes() {
    StringBuilder out = new StringBuilder(256);
    out.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
    for (Field field : fields) out.append(field.name()).append(": ").append(field.value()).append("\r\n");
    return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return method + " " + target + " " + version;
  }
}
