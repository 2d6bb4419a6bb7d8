package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.FileEntry;
import io.elemental.conformance.node.cloudconfig.Step.Systemctl;
import io.elemental.conformance.node.cloudconfig.Step.UserEntry;
import io.elemental.conformance.node.cloudconfig.YipConfig.KeyWarning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * A {@code #cloud-config} file as yip v1.9.6 reads it ({@code pkg/schema/loader_cloudinit.go}):
 * {@code users}, {@code ssh_authorized_keys}, {@code write_files} and {@code runcmd} become one
 * step of stage {@code boot}, {@code hostname} one step of stage {@code initramfs}; global SSH keys
 * go to every listed user, or to root when no user is listed. The same file is then read as a yip
 * file, and its {@code stages} are added after those.
 */
final class CloudInitFile {
  static final String HEADER = "#cloud-config";
  static final String USERS_STAGE = "boot";
  static final String HOSTNAME_STAGE = "initramfs";
  private static final Set<String> KEYS = Set.of("ssh_authorized_keys", "write_files", "hostname", "users", "runcmd",
      "growpart", "milpa_files", "name", "stages");

  private CloudInitFile() {}

  /** yip's test: the first line, without trailing blanks, is exactly {@code #cloud-config}. */
  static boolean isCloudConfig(String text) {
    int newline = text.indexOf('\n');
    String header = newline < 0 ? text : text.substring(0, newline);
    return header.stripTrailing().equals(HEADER);
  }

  /** The yip form of {@code document}; type errors go to {@code yaml}. */
  static YipConfig translate(Node document, YamlDecoder yaml) {
    List<KeyWarning> warnings = new ArrayList<>();
    List<String> globalKeys = List.of();
    List<FileEntry> files = new ArrayList<>();
    String hostname = "";
    List<Node> users = List.of();
    List<String> runcmd = List.of();
    List<String> growpartDevices = List.of();
    for (NodeTuple entry : yaml.entries(document, "the file", "config.CloudConfig")) {
      String key = YamlDecoder.keyOf(entry);
      Node value = entry.getValueNode();
      switch (key) {
        case "ssh_authorized_keys" -> globalKeys = yaml.strings(value, key);
        case "write_files", "milpa_files" -> files.addAll(yaml.list(value, key, "[]config.File", n -> file(n, yaml)));
        case "hostname" -> hostname = yaml.string(value, key);
        case "users" -> users = yaml.list(value, key, "[]config.User", n -> n);
        case "runcmd" -> runcmd = yaml.strings(value, key);
        case "growpart" -> growpartDevices = growpart(value, yaml);
        default -> {
          if (!KEYS.contains(key)) {
            warnings.add(new KeyWarning(USERS_STAGE, "0", "cloud-config key \"" + key + "\" (line "
                + YamlDecoder.line(entry.getKeyNode()) + ") ignored: yip reads only users, ssh_authorized_keys,"
                + " write_files, runcmd, hostname and growpart"));
          }
        }
      }
    }

    Map<String, UserEntry> byName = new LinkedHashMap<>();
    Map<String, List<String>> keys = new LinkedHashMap<>();
    YipFileParser userParser = new YipFileParser(yaml);
    for (Node user : users) {
      String name = userName(user, new YamlDecoder());
      UserEntry entry = userParser.user(user);
      byName.put(name, withoutKeys(entry));
      List<String> own = new ArrayList<>(entry.sshAuthorizedKeys());
      own.addAll(globalKeys);
      keys.put(name, own);
    }
    if (users.isEmpty() && !globalKeys.isEmpty()) keys.put("root", globalKeys);

    List<Step> boot = new ArrayList<>();
    boot.add(new Step("", "", List.of(), files, runcmd, "", Map.of(), List.of(), byName, keys, Systemctl.NONE,
        Map.of(), ""));
    for (int i = 0; i < growpartDevices.size(); i++) {
      warnings.add(new KeyWarning(USERS_STAGE, Integer.toString(i + 1), "growpart of " + growpartDevices.get(i)
          + " is not supported by the reference runner; ignored"));
      boot.add(new Step("", "", List.of(), List.of(), List.of(), "", Map.of(), List.of(), Map.of(), Map.of(),
          Systemctl.NONE, Map.of(), ""));
    }
    Map<String, List<Step>> stages = new LinkedHashMap<>();
    stages.put(USERS_STAGE, boot);
    stages.put(HOSTNAME_STAGE, new ArrayList<>(List.of(new Step("", "", List.of(), List.of(), List.of(), hostname,
        Map.of(), List.of(), Map.of(), Map.of(), Systemctl.NONE, Map.of(), ""))));

    // yip then reads the file as a yip file too, and keeps its stages only when that succeeds.
    YamlDecoder asYip = new YamlDecoder();
    YipFileParser yipParser = new YipFileParser(asYip);
    YipConfig yip = yipParser.parse(document, KEYS);
    String name = "";
    if (asYip.errors().isEmpty()) {
      name = yip.name();
      yip.stages().forEach((stage, steps) -> stages.computeIfAbsent(stage, s -> new ArrayList<>()).addAll(steps));
      warnings.addAll(yip.warnings());
    } else {
      warnings.add(new KeyWarning("", "", "its stages are ignored, as yip ignores them: " + asYip.errors().get(0)));
    }
    return new YipConfig(name, stages, warnings);
  }

  private static String userName(Node user, YamlDecoder yaml) {
    for (NodeTuple entry : yaml.entries(user, "users", "config.User")) {
      if (YamlDecoder.keyOf(entry).equals("name")) return yaml.string(entry.getValueNode(), "name");
    }
    return "";
  }

  private static UserEntry withoutKeys(UserEntry user) {
    return new UserEntry(user.passwd(), List.of(), user.gecos(), user.homedir(), user.noCreateHome(),
        user.primaryGroup(), user.groups(), user.shell(), user.lockPasswd(), user.uid());
  }

  /** A {@code write_files} entry: permissions an octal string, owner "user[:group]". */
  private static FileEntry file(Node node, YamlDecoder yaml) {
    String path = "";
    String content = "";
    String encoding = "";
    String owner = "";
    String permissions = "";
    int line = YamlDecoder.line(node);
    for (NodeTuple entry : yaml.entries(node, "write_files", "config.File")) {
      Node value = entry.getValueNode();
      switch (YamlDecoder.keyOf(entry)) {
        case "path" -> path = yaml.string(value, "path");
        case "content" -> content = yaml.string(value, "content");
        case "encoding" -> encoding = yaml.string(value, "encoding");
        case "owner" -> owner = yaml.string(value, "owner");
        case "permissions" -> {
          permissions = yaml.string(value, "permissions");
          line = YamlDecoder.line(value);
        }
        default -> { }
      }
    }
    return new FileEntry(path, content, octal(permissions, path, line), 0, 0, encoding, owner);
  }

  /** yip's {@code parseOctal}: "" is 0; anything but octal digits fails the whole file. */
  private static int octal(String text, String path, int line) {
    if (text.isEmpty()) return 0;
    try {
      long value = Long.parseUnsignedLong(text, 8);
      if (value > 0xFFFFFFFFL || text.startsWith("+")) throw new NumberFormatException(text);
      return (int) value;
    } catch (NumberFormatException e) {
      throw new CloudConfigSyntaxException(line, "converting permission " + text + " for " + path + ": not octal");
    }
  }

  private static List<String> growpart(Node node, YamlDecoder yaml) {
    List<String> devices = List.of();
    for (NodeTuple entry : yaml.entries(node, "growpart", "config.GrowPart")) {
      if (YamlDecoder.keyOf(entry).equals("devices")) devices = yaml.strings(entry.getValueNode(), "growpart.devices");
    }
    return devices;
  }
}
