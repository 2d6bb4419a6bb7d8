package io.elemental.conformance.fakerancher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.x request head off a connection and parses it strictly enough to route on
 * (RFC 9112 §2-5): an origin-form request line, {@code name: value} fields with no whitespace
 * before the colon and no line folding, no control characters, a Host field for HTTP/1.1, and
 * the whole head, empty line included, at most {@link #MAX_HEAD_BYTES}. Lines end with CRLF; a
 * bare LF is accepted as RFC 9112 §2.2 allows.
 *
 * <p>Bytes read past the head (the start of a body, or of the next request) are handed back, not
 * lost: the caller sends them on after the head.
 */
final class RequestHeadReader {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final Pattern REQUEST_LINE = Pattern.compile("(" + TOKEN + ") (/\\S*) (HTTP/1\\.[01])");
  private static final Pattern FIELD_NAME = Pattern.compile(TOKEN);

  /** A head and the bytes that came after it in the same reads. */
  record Read(RequestHead head, byte[] rest) {}

  private RequestHeadReader() {}

  /**
   * @return the head, or null when the connection closed before sending a byte
   * @throws MalformedRequestHeadException not a request head, longer than 64 KiB, or cut short
   */
  static Read read(InputStream in) throws IOException, MalformedRequestHeadException {
    byte[] buffer = new byte[MAX_HEAD_BYTES];
    int filled = 0;
    int scanned = 0;
    while (true) {
      int end = endOfHead(buffer, scanned, filled);
      if (end >= 0) {
        return new Read(parse(new String(buffer, 0, end, StandardCharsets.ISO_8859_1)),
            Arrays.copyOfRange(buffer, end, filled));
      }
      scanned = Math.max(0, filled - 2);
      if (filled == buffer.length) {
        throw new MalformedRequestHeadException("the request head is longer than " + MAX_HEAD_BYTES + " bytes");
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        if (filled == 0) return null;
        throw new MalformedRequestHeadException("the connection closed in the middle of the request head");
      }
      filled += n;
    }
  }

  /** The index just past the empty line that ends the head, or -1 when it has not come yet. */
  private static int endOfHead(byte[] buffer, int from, int filled) {
    for (int i = from; i < filled; i++) {
      if (buffer[i] != '\n') continue;
      if (i + 1 < filled && buffer[i + 1] == '\n') return i + 2;
      if (i + 2 < filled && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') return i + 3;
    }
    return -1;
  }

  static RequestHead parse(String head) throws MalformedRequestHeadException {
    String[] lines = head.split("\r?\n", -1);
    // lines: request line, fields..., "" (the empty line), "" (after its line end)
    Matcher request = REQUEST_LINE.matcher(lines[0]);
    if (!request.matches()) {
      throw new MalformedRequestHeadException("not an HTTP/1.x request line: " + printable(lines[0]));
    }
    List<RequestHead.Field> fields = new ArrayList<>();
    for (int i = 1; i < lines.length - 2; i++) {
      String line = lines[i];
      if (line.startsWith(" ") || line.startsWith("\t")) {
        throw new MalformedRequestHeadException("folded header line (obsolete line folding): " + printable(line));
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !FIELD_NAME.matcher(line.substring(0, colon)).matches()) {
        throw new MalformedRequestHeadException("not a header field: " + printable(line));
      }
      String value = line.substring(colon + 1).strip();
      if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        throw new MalformedRequestHeadException("control character in header " + line.substring(0, colon));
      }
      fields.add(new RequestHead.Field(line.substring(0, colon), value));
    }
    RequestHead parsed = new RequestHead(request.group(1), request.group(2), request.group(3), fields);
    long hosts = fields.stream().filter(f -> f.is("host")).count();
    if (parsed.version().equals("HTTP/1.1") && hosts != 1) {
      throw new MalformedRequestHeadException(hosts == 0 ? "an HTTP/1.1 request without a Host header"
          : "more than one Host header");
    }
    return parsed;
  }

  private static String printable(String line) {
    String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
