package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.UserEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

/**
 * {@code users}, as yip's {@code User} plugin (with its entities library), in name order:
 *
 * <ul>
 *   <li>a new user gets a group of its name (or its {@code primary_group}, which must exist) with a
 *       free gid from 1000, a free uid from 1000 (or its {@code uid}), a passwd line with
 *       {@code gecos} (else "Created by entities"), {@code homedir} (else HOME of
 *       /etc/default/useradd, else /home, plus the name) and {@code shell} (else SHELL of
 *       /etc/default/useradd, else /bin/sh), a shadow line with {@code passwd} (hashed with
 *       SHA-512 crypt when given in clear; "!" with {@code lock_passwd}), its home made 0755, and
 *       membership of each of its {@code groups} that exists;
 *   <li>a user that exists keeps its passwd line, groups and home: only a {@code passwd} given
 *       replaces its shadow password (one info line says so);
 *   <li>either way, its {@code ssh_authorized_keys} are added.
 * </ul>
 * The three files are edited in memory and each replaced in one rename, group, then passwd, then
 * shadow; a user whose shadow cannot be read is not half made.
 */
final class UsersApplier implements StepApplier {
  private static final String DEFAULT_GECOS = "Created by entities";
  private final Clock clock;

  UsersApplier(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String key() {
    return "users";
  }

  @Override
  public void apply(Step step, StepContext context) {
    for (Map.Entry<String, UserEntry> entry : step.users().entrySet()) {
      String name = entry.getKey();
      UserEntry user = entry.getValue();
      try {
        if (name.isEmpty()) throw new IOException("a user needs a name");
        Accounts accounts = Accounts.read(context.root());
        if (accounts.user(name).isPresent()) {
          updateExisting(name, user, accounts, context);
        } else {
          create(name, user, accounts, context.target());
        }
      } catch (IOException e) {
        context.fail("users: " + name + ": " + Reasons.of(e));
        continue;
      }
      AuthorizedKeysApplier.ensureKeys(name, user.sshAuthorizedKeys(), context, "users: ssh_authorized_keys");
    }
  }

  private void updateExisting(String name, UserEntry user, Accounts accounts, StepContext context) throws IOException {
    if (!user.passwd().isEmpty()) {
      AccountFile shadow = accounts.shadow();
      shadow.put(name, shadowFields(name, user.passwd()));
      shadow.write();
    }
    context.note("user " + name + " exists: " + (user.passwd().isEmpty() ? "" : "password replaced, ")
        + "SSH keys merged; its groups, home and shell are kept, as yip keeps them");
  }

  private void create(String name, UserEntry user, Accounts accounts, Target target) throws IOException {
    AccountFile shadow = accounts.shadow(); // read first: nothing is written if it is missing
    Map<String, String> defaults = useradd(target.root());
    String primary = user.primaryGroup().isEmpty() ? name : user.primaryGroup();
    int gid;
    if (!user.primaryGroup().isEmpty()) {
      gid = accounts.gidOf(primary).orElseThrow(() -> new IOException("could not resolve primary group of user: "
          + primary + " is not in /etc/group"));
    } else {
      gid = accounts.gidOf(primary).orElse(Accounts.freeId(accounts.group, 2));
    }
    String[] group = accounts.group.entry(primary).orElse(new String[] {primary, "x", "", ""});
    accounts.group.put(primary, primary, "x", Integer.toString(gid), Accounts.withMember(field(group, 3), name));

    int uid;
    if (!user.uid().isEmpty()) {
      try {
        uid = Integer.parseInt(user.uid());
      } catch (NumberFormatException e) {
        throw new IOException("failed parsing uid: " + user.uid());
      }
    } else {
      uid = Accounts.freeId(accounts.passwd, 2);
    }
    String home = user.homedir().isEmpty() ? defaults.getOrDefault("HOME", "/home") + "/" + name : user.homedir();
    String shell = user.shell().isEmpty() ? defaults.getOrDefault("SHELL", "/bin/sh") : user.shell();
    accounts.passwd.put(name, name, "x", Integer.toString(uid), Integer.toString(gid),
        user.gecos().isEmpty() ? DEFAULT_GECOS : user.gecos(), home, shell);
    shadow.put(name, shadowFields(name, user.lockPasswd() ? "!" : user.passwd()));

    for (String member : user.groups()) {
      accounts.group.entry(member).ifPresent(fields -> accounts.group.put(member, fields[0], field(fields, 1),
          field(fields, 2), Accounts.withMember(field(fields, 3), name)));
    }
    accounts.group.write();
    accounts.passwd.write();
    shadow.write();

    if (!user.noCreateHome()) {
      Path dir = target.root().resolve(home);
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(AtomicFiles.permissions(0755)));
      }
      target.ownership().chown(dir, uid, gid);
    }
  }

  /** A shadow line as entities writes it: the password (hashed when in clear), the day of the change, six empty fields. */
  private String[] shadowFields(String name, String password) {
    String stored = password;
    if (!password.isEmpty() && !password.startsWith("$") && !password.startsWith("!") && !password.equals("*")) {
      stored = Sha512Crypt.hash(password);
    }
    long days = Math.max(1, clock.millis() / 86_400_000L);
    return new String[] {name, stored, Long.toString(days), "", "", "", "", "", ""};
  }

  private static String field(String[] fields, int index) {
    return fields.length > index ? fields[index] : "";
  }

  private static Map<String, String> useradd(SystemRoot root) throws IOException {
    Path file = root.resolve("/etc/default/useradd");
    if (!Files.isRegularFile(file)) return Map.of();
    Map<String, String> values = new java.util.HashMap<>(Dotenv.parse(Files.readString(file, StandardCharsets.UTF_8)));
    values.values().removeIf(String::isEmpty);
    return values;
  }
}
