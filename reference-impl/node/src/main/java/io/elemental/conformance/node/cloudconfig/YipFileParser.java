package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.DirectoryEntry;
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
 * A yip document ({@code name}, {@code stages}) read into a {@link YipConfig} with the keys of yip
 * v1.9.6's {@code schema.Stage}. Keys yip does not know, and yip keys the reference does not
 * apply, become warnings; values of the wrong kind are type errors in the {@link YamlDecoder}.
 */
final class YipFileParser {
  /** yip keys of a step that the reference runner does not apply. */
  static final Set<String> UNSUPPORTED = Set.of("downloads", "ensure_entities", "delete_entities", "dns", "node",
      "after", "datasource", "layout", "systemd_firstboot", "timesyncd", "git");

  private final YamlDecoder yaml;
  private final List<KeyWarning> warnings = new ArrayList<>();

  YipFileParser(YamlDecoder yaml) {
    this.yaml = yaml;
  }

  List<KeyWarning> warnings() {
    return List.copyOf(warnings);
  }

  /** The document's name and stages; {@code topLevelKnown} are other top-level keys not to warn about. */
  YipConfig parse(Node document, Set<String> topLevelKnown) {
    String name = "";
    Map<String, List<Step>> stages = new LinkedHashMap<>();
    for (NodeTuple entry : yaml.entries(document, "the file", "schema.YipConfig")) {
      String key = YamlDecoder.keyOf(entry);
      Node value = entry.getValueNode();
      switch (key) {
        case "name" -> name = yaml.string(value, "name");
        case "stages" -> stages.putAll(stages(value));
        default -> {
          if (!topLevelKnown.contains(key)) {
            warnings.add(new KeyWarning("", "", "unknown top-level key \"" + key + "\" (line " + YamlDecoder.line(
                entry.getKeyNode()) + ") ignored; a yip file has name and stages" + (key.equals("stage")
                ? " (did you mean stages?)" : "")));
          }
        }
      }
    }
    return new YipConfig(name, stages, warnings);
  }

  private Map<String, List<Step>> stages(Node node) {
    Map<String, List<Step>> stages = new LinkedHashMap<>();
    for (NodeTuple entry : yaml.entries(node, "stages", "map[string][]schema.Stage")) {
      String stage = YamlDecoder.keyOf(entry);
      List<Node> items = yaml.list(entry.getValueNode(), "stages." + stage, "[]schema.Stage", n -> n);
      List<Step> steps = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) steps.add(step(stage, i, items.get(i)));
      stages.put(stage, steps);
    }
    return stages;
  }

  Step step(String stage, int index, Node node) {
    String name = "";
    String condition = "";
    List<DirectoryEntry> directories = List.of();
    List<FileEntry> files = List.of();
    List<String> commands = List.of();
    String hostname = "";
    Map<String, String> sysctl = Map.of();
    List<String> modules = List.of();
    Map<String, UserEntry> users = Map.of();
    Map<String, List<String>> keys = Map.of();
    Systemctl systemctl = Systemctl.NONE;
    Map<String, String> environment = Map.of();
    String environmentFile = "";
    List<String[]> unknown = new ArrayList<>();
    for (NodeTuple entry : yaml.entries(node, "stages." + stage + "[" + index + "]", "schema.Stage")) {
      String key = YamlDecoder.keyOf(entry);
      Node value = entry.getValueNode();
      switch (key) {
        case "name" -> name = yaml.string(value, key);
        case "if" -> condition = yaml.string(value, key);
        case "directories" -> directories = yaml.list(value, key, "[]schema.Directory", this::directory);
        case "files" -> files = yaml.list(value, key, "[]schema.File", this::file);
        case "commands" -> commands = yaml.strings(value, key);
        case "hostname" -> hostname = yaml.string(value, key);
        case "sysctl" -> sysctl = yaml.stringMap(value, key);
        case "modules" -> modules = yaml.strings(value, key);
        case "users" -> users = yaml.map(value, key, "map[string]schema.User", this::user);
        case "authorized_keys" -> keys = yaml.map(value, key, "map[string][]string", v -> yaml.strings(v, key));
        case "systemctl" -> systemctl = systemctl(value);
        case "environment" -> environment = yaml.stringMap(value, key);
        case "environment_file" -> environmentFile = yaml.string(value, key);
        default -> unknown.add(new String[] {key, Integer.toString(YamlDecoder.line(entry.getKeyNode()))});
      }
    }
    String stepName = name.isEmpty() ? Integer.toString(index) : name;
    for (String[] key : unknown) warnings.add(new KeyWarning(stage, stepName, unknownStepKey(key[0], key[1])));
    if (!modules.isEmpty()) {
      warnings.add(new KeyWarning(stage, stepName, "modules: yip v1.9.6 has no modules key and ignores it; the"
          + " reference runs modprobe on the live system"));
    }
    return new Step(name, condition, directories, files, commands, hostname, sysctl, modules, users, keys, systemctl,
        environment, environmentFile);
  }

  private static String unknownStepKey(String key, String line) {
    if (UNSUPPORTED.contains(key)) {
      return "key \"" + key + "\" (line " + line + ") is not supported by the reference runner; ignored";
    }
    String hint = switch (key) {
      case "ssh_authorized_keys" -> " (a step's keys are authorized_keys: {user: [keys]}; ssh_authorized_keys belongs"
          + " to a user)";
      case "systctl" -> " (did you mean sysctl?)";
      case "command", "cmd", "runcmd" -> " (did you mean commands?)";
      case "file", "write_files" -> " (did you mean files?)";
      case "user" -> " (did you mean users?)";
      default -> "";
    };
    return "unknown key \"" + key + "\" (line " + line + ") ignored, as yip ignores it" + hint;
  }

  private DirectoryEntry directory(Node node) {
    String path = "";
    long permissions = 0;
    long owner = 0;
    long group = 0;
    for (NodeTuple entry : yaml.entries(node, "directories", "schema.Directory")) {
      Node value = entry.getValueNode();
      switch (YamlDecoder.keyOf(entry)) {
        case "path" -> path = yaml.string(value, "path");
        case "permissions" -> permissions = yaml.integer(value, "uint32", 0, 0xFFFFFFFFL, "permissions");
        case "owner" -> owner = yaml.integer(value, "int", Integer.MIN_VALUE, Integer.MAX_VALUE, "owner");
        case "group" -> group = yaml.integer(value, "int", Integer.MIN_VALUE, Integer.MAX_VALUE, "group");
        default -> { }
      }
    }
    return new DirectoryEntry(path, (int) permissions, (int) owner, (int) group);
  }

  private FileEntry file(Node node) {
    String path = "";
    String content = "";
    String encoding = "";
    String ownerString = "";
    long permissions = 0;
    long owner = 0;
    long group = 0;
    for (NodeTuple entry : yaml.entries(node, "files", "schema.File")) {
      Node value = entry.getValueNode();
      switch (YamlDecoder.keyOf(entry)) {
        case "path" -> path = yaml.string(value, "path");
        case "content" -> content = yaml.string(value, "content");
        case "encoding" -> encoding = yaml.string(value, "encoding");
        case "ownerstring" -> ownerString = yaml.string(value, "ownerstring");
        case "permissions" -> permissions = yaml.integer(value, "uint32", 0, 0xFFFFFFFFL, "permissions");
        case "owner" -> owner = yaml.integer(value, "int", Integer.MIN_VALUE, Integer.MAX_VALUE, "owner");
        case "group" -> group = yaml.integer(value, "int", Integer.MIN_VALUE, Integer.MAX_VALUE, "group");
        default -> { }
      }
    }
    return new FileEntry(path, content, (int) permissions, (int) owner, (int) group, encoding, ownerString);
  }

  UserEntry user(Node node) {
    String passwd = "";
    List<String> keys = List.of();
    String gecos = "";
    String homedir = "";
    boolean noCreateHome = false;
    String primaryGroup = "";
    List<String> groups = List.of();
    String shell = "";
    boolean lockPasswd = false;
    String uid = "";
    for (NodeTuple entry : yaml.entries(node, "users", "schema.User")) {
      String key = YamlDecoder.keyOf(entry);
      Node value = entry.getValueNode();
      switch (key) {
        case "passwd" -> passwd = yaml.string(value, key);
        case "ssh_authorized_keys" -> keys = yaml.strings(value, key);
        case "gecos" -> gecos = yaml.string(value, key);
        case "homedir" -> homedir = yaml.string(value, key);
        case "no_create_home" -> noCreateHome = yaml.bool(value, key);
        case "primary_group" -> primaryGroup = yaml.string(value, key);
        case "groups" -> groups = yaml.strings(value, key);
        case "shell" -> shell = yaml.string(value, key);
        case "lock_passwd" -> lockPasswd = yaml.bool(value, key);
        case "uid" -> uid = yaml.string(value, key);
        case "name" -> yaml.string(value, key); // the map key names the user
        case "no_user_group", "system", "no_log_init" -> yaml.bool(value, key); // yip reads them, then ignores them
        default -> { }
      }
    }
    return new UserEntry(passwd, keys, gecos, homedir, noCreateHome, primaryGroup, groups, shell, lockPasswd, uid);
  }

  private Systemctl systemctl(Node node) {
    List<String> enable = List.of();
    List<String> disable = List.of();
    List<String> mask = List.of();
    List<String> start = List.of();
    for (NodeTuple entry : yaml.entries(node, "systemctl", "schema.Systemctl")) {
      String key = YamlDecoder.keyOf(entry);
      switch (key) {
        case "enable" -> enable = yaml.strings(entry.getValueNode(), "systemctl.enable");
        case "disable" -> disable = yaml.strings(entry.getValueNode(), "systemctl.disable");
        case "mask" -> mask = yaml.strings(entry.getValueNode(), "systemctl.mask");
        case "start" -> start = yaml.strings(entry.getValueNode(), "systemctl.start");
        default -> { }
      }
    }
    return new Systemctl(enable, disable, mask, start);
  }
}
