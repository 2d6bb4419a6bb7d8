package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The root's user and group database ({@code /etc/passwd}, {@code /etc/group},
 * {@code /etc/shadow}), edited directly as yip's entities library edits it: never through
 * useradd, so a scratch root is all a test needs.
 */
final class Accounts {
  /** systemd's range for regular users, where yip picks free ids. */
  static final int HUMAN_MIN = 1000;
  static final int HUMAN_MAX = 60000;

  final AccountFile passwd;
  final AccountFile group;
  private final SystemRoot root;
  private AccountFile shadow;

  private Accounts(SystemRoot root, AccountFile passwd, AccountFile group) {
    this.root = root;
    this.passwd = passwd;
    this.group = group;
  }

  static Accounts read(SystemRoot root) throws IOException {
    return new Accounts(root, AccountFile.read(root.resolve("/etc/passwd"), "/etc/passwd"),
        AccountFile.read(root.resolve("/etc/group"), "/etc/group"));
  }

  AccountFile shadow() throws IOException {
    if (shadow == null) shadow = AccountFile.read(root.resolve("/etc/shadow"), "/etc/shadow");
    return shadow;
  }

  /** A user's passwd fields: name, password, uid, gid, gecos, home, shell. */
  Optional<String[]> user(String name) {
    return passwd.entry(name);
  }

  Optional<Integer> gidOf(String groupName) {
    return group.entry(groupName).flatMap(fields -> parse(fields, 2));
  }

  /** "user" (its uid and primary gid) or "user:group", as yip's GetUserDataFromString resolves them. */
  int[] idsOf(String owner) throws IOException {
    String[] parts = owner.split(":", 2);
    String[] user = user(parts[0]).orElseThrow(() -> new IOException("failed looking up user " + parts[0]));
    int uid = parse(user, 2).orElseThrow(() -> new IOException("failed converting uid to int"));
    int gid;
    if (parts.length == 2) {
      gid = gidOf(parts[1]).orElseThrow(() -> new IOException("failed looking up group " + parts[1]));
    } else {
      gid = parse(user, 3).orElseThrow(() -> new IOException("failed converting gid to int"));
    }
    return new int[] {uid, gid};
  }

  /** The lowest id in {@link #HUMAN_MIN}..{@link #HUMAN_MAX} not used in field {@code idField} of {@code file}. */
  static int freeId(AccountFile file, int idField) throws IOException {
    Set<Integer> used = new HashSet<>();
    for (String[] fields : file.entries()) parse(fields, idField).ifPresent(used::add);
    for (int id = HUMAN_MIN; id <= HUMAN_MAX; id++) {
      if (!used.contains(id)) return id;
    }
    throw new IOException("no available id in " + HUMAN_MIN + ".." + HUMAN_MAX + " in " + file.name());
  }

  static Optional<Integer> parse(String[] fields, int index) {
    if (fields.length <= index) return Optional.empty();
    try {
      return Optional.of(Integer.parseInt(fields[index]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Members of a group line, with {@code name} added once; empty names dropped, as entities' Unique does. */
  static String withMember(String members, String name) {
    List<String> all = new java.util.ArrayList<>();
    for (String m : (members + "," + name).split(",")) {
      if (!m.isEmpty() && !all.contains(m)) all.add(m);
    }
    return String.join(",", all);
  }
}
