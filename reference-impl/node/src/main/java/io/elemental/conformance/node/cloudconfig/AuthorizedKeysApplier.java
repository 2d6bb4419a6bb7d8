package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code authorized_keys} ({@code user: [keys]}), as yip's {@code SSH} plugin: the user's home
 * from the root's passwd, {@code ~/.ssh} made 0700 when missing, {@code authorized_keys} made 0600
 * when missing, each key appended unless the file already contains it, both chowned to the
 * user. Keys given as URLs ({@code github:user}, {@code https://...}) are not fetched here.
 */
final class AuthorizedKeysApplier implements StepApplier {
  /** Go's url.Parse finds a scheme: letters first, then letters, digits, + - . up to a colon. */
  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*:.*", Pattern.DOTALL);

  @Override
  public String key() {
    return "authorized_keys";
  }

  @Override
  public void apply(Step step, StepContext context) {
    for (Map.Entry<String, List<String>> entry : new TreeMap<>(step.authorizedKeys()).entrySet()) {
      ensureKeys(entry.getKey(), entry.getValue(), context, "authorized_keys");
    }
  }

  /** Adds {@code keys} to {@code user}'s authorized_keys; failures are reported, named by {@code key}. */
  static void ensureKeys(String user, List<String> keys, StepContext context, String key) {
    if (keys.isEmpty()) return;
    Target target = context.target();
    try {
      String[] entry = Accounts.read(target.root()).user(user)
          .orElseThrow(() -> new IOException("user " + user + " not found in /etc/passwd"));
      int uid = Accounts.parse(entry, 2).orElseThrow(() -> new IOException("bad uid for " + user));
      int gid = Accounts.parse(entry, 3).orElseThrow(() -> new IOException("bad gid for " + user));
      String home = entry.length > 5 ? entry[5] : "";
      Path sshDir = target.root().resolve(home + "/.ssh");
      if (!Files.exists(sshDir)) {
        Files.createDirectory(sshDir, PosixFilePermissions.asFileAttribute(AtomicFiles.permissions(0700)));
      }
      target.ownership().chown(sshDir, uid, gid);
      Path file = sshDir.resolve("authorized_keys");
      String content = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      StringBuilder updated = new StringBuilder(content);
      for (String k : keys) {
        if (URL.matcher(k).matches()) {
          context.fail(key + ": " + user + ": key " + k + " is a URL; the reference runner does not fetch keys");
          continue;
        }
        if (!updated.toString().contains(k)) updated.append(k).append('\n');
      }
      if (!Files.exists(file) || !updated.toString().equals(content)) {
        AtomicFiles.replace(file, updated.toString().getBytes(StandardCharsets.UTF_8), 0600);
      }
      target.ownership().chown(file, uid, gid);
    } catch (IOException e) {
      context.fail(key + ": " + user + ": " + Reasons.of(e));
    }
  }
}
