package io.elemental.conformance.node.agent;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Go's {@code time.UnixDate} layout ({@code Mon Jan _2 15:04:05 MST 2006}), which the real agent
 * uses for {@code last-apply-time}. Written in UTC; read in any zone Java knows by abbreviation.
 */
final class UnixDate {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.ROOT);
  private static final ZoneId UTC = ZoneId.of("UTC");

  private UnixDate() {
  }

  static String format(Instant instant) {
    return FORMAT.format(instant.atZone(UTC));
  }

  static Optional<Instant> parse(String text) {
    try {
      return Optional.of(ZonedDateTime.parse(text.trim(), FORMAT).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
