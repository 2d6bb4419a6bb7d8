package io.elemental.conformance.attestation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks as Go's encoding/pem reads and writes them (64-column base64, headers skipped). */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "(?:^|\\n)-----BEGIN ([^\\r\\n]*?)-----[ \\t]*\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  public record Block(String type, byte[] der) {}

  private Pem() {}

  /** Every well-formed block, in order; malformed ones are skipped, as Go's decoder loop does. */
  public static List<Block> all(String text) {
    List<Block> blocks = new ArrayList<>();
    if (text == null) return blocks;
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      decodeBody(matcher.group(2)).ifPresent(der -> blocks.add(new Block(matcher.group(1), der)));
    }
    return blocks;
  }

  public static Optional<Block> first(String text) {
    List<Block> blocks = all(text);
    return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(0));
  }

  public static String encode(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static Optional<byte[]> decodeBody(String body) {
    StringBuilder base64 = new StringBuilder();
    for (String line : body.split("\n")) {
      if (line.contains(":")) continue; // RFC 1421 headers ("Proc-Type: …")
      base64.append(line.strip());
    }
    try {
      return Optional.of(Base64.getDecoder().decode(base64.toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
