package io.elemental.conformance.node.cloudconfig;

import java.util.List;
import java.util.Map;

/**
 * One step of a stage (yip's {@code schema.Stage}), with the keys the reference runner applies.
 * Maps keep their YAML order; users are applied sorted by name, as yip does.
 */
public record Step(String name, String ifCondition, List<DirectoryEntry> directories, List<FileEntry> files,
    List<String> commands, String hostname, Map<String, String> sysctl, List<String> modules,
    Map<String, UserEntry> users, Map<String, List<String>> authorizedKeys, Systemctl systemctl,
    Map<String, String> environment, String environmentFile) {

  public Step {
    directories = List.copyOf(directories);
    files = List.copyOf(files);
    commands = List.copyOf(commands);
    sysctl = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctl));
    modules = List.copyOf(modules);
    users = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(users));
    authorizedKeys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(authorizedKeys));
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
  }

  /** A directory to ensure: yip's {@code schema.Directory}; permissions and ids default to 0. */
  public record DirectoryEntry(String path, int permissions, int owner, int group) {}

  /**
   * A file to write: yip's {@code schema.File}. {@code ownerString} ("user" or "user:group", from
   * a cloud-init {@code write_files} entry) wins over the numeric ids when set.
   */
  public record FileEntry(String path, String content, int permissions, int owner, int group, String encoding,
      String ownerString) {}

  /** A user to ensure: yip's {@code schema.User}. */
  public record UserEntry(String passwd, List<String> sshAuthorizedKeys, String gecos, String homedir,
      boolean noCreateHome, String primaryGroup, List<String> groups, String shell, boolean lockPasswd, String uid) {
    public UserEntry {
      sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
      groups = List.copyOf(groups);
    }
  }

  /** Units to enable, disable, mask and start, in that order (yip's order). */
  public record Systemctl(List<String> enable, List<String> disable, List<String> mask, List<String> start) {
    public static final Systemctl NONE = new Systemctl(List.of(), List.of(), List.of(), List.of());

    public Systemctl {
      enable = List.copyOf(enable);
      disable = List.copyOf(disable);
      mask = List.copyOf(mask);
      start = List.copyOf(start);
    }
  }
}
