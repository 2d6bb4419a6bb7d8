package io.elemental.conformance.node.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code state.yaml} on COS_STATE (and a copy on COS_RECOVERY): the installed partitions and,
 * per snapshot, its source, digest, date and action, as Elemental's toolkit records them.
 * Written atomically, so a power cut leaves the previous state or the new one.
 */
public final class StateFile {
  public static final String NAME = "state.yaml";
  private static final YAMLMapper YAML = new YAMLMapper();

  private final ObjectNode root;

  private StateFile(ObjectNode root) {
    this.root = root;
  }

  public static StateFile empty() {
    return new StateFile(JsonNodeFactory.instance.objectNode());
  }

  public static StateFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ToolkitException(file + " is missing: this disk was not installed by the toolkit. Fix: install first");
    }
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (!(node instanceof ObjectNode object)) throw new IOException("not a YAML mapping");
      return new StateFile(object);
    } catch (IOException e) {
      throw new ToolkitException(file + " is not a readable state file: " + e.getMessage(), e);
    }
  }

  /** Records the partitions by label, the snapshotter and when. */
  public StateFile partitions(DiskLayout layout, int maxSnaps, String date) {
    root.put("date", date);
    for (Partition p : layout.partitions()) {
      ObjectNode part = root.with(p.name());
      part.put("label", p.fsLabel());
      part.put("fs", p.filesystem());
    }
    ObjectNode snapshotter = root.with("state").with("snapshotter");
    snapshotter.put("type", "loopdevice");
    snapshotter.put("maxSnaps", maxSnaps);
    return this;
  }

  public int maxSnaps() {
    return root.path("state").path("snapshotter").path("maxSnaps").asInt(Snapshots.DEFAULT_MAX_SNAPS);
  }

  /** Sets the snapshots to exactly {@code records} (pruned ones disappear). */
  public StateFile snapshots(List<SnapshotRecord> records, String date) {
    root.put("date", date);
    ObjectNode snapshots = root.with("state").putObject("snapshots");
    records.stream().sorted(Comparator.comparingInt(SnapshotRecord::id)).forEach(r -> {
      ObjectNode s = snapshots.putObject(Integer.toString(r.id()));
      s.put("active", r.active());
      s.put("source", r.source());
      s.put("digest", r.digest());
      s.put("date", r.date());
      s.put("fromAction", r.fromAction());
    });
    return this;
  }

  public List<SnapshotRecord> snapshots() {
    List<SnapshotRecord> records = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("state").path("snapshots").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode s = e.getValue();
      records.add(new SnapshotRecord(Integer.parseInt(e.getKey()), s.path("active").asBoolean(),
          s.path("source").asText(), s.path("digest").asText(), s.path("date").asText(), s.path("fromAction").asText()));
    }
    records.sort(Comparator.comparingInt(SnapshotRecord::id));
    return records;
  }

  public Optional<SnapshotRecord> snapshot(int id) {
    return snapshots().stream().filter(r -> r.id() == id).findFirst();
  }

  public StateFile recovery(String source, String digest, String date, String fromAction) {
    ObjectNode recovery = root.with("recovery").putObject("recovery");
    recovery.put("source", source);
    recovery.put("digest", digest);
    recovery.put("date", date);
    recovery.put("fromAction", fromAction);
    return this;
  }

  /** Where the recovery image came from, as install recorded it. */
  public String recoverySource() {
    return root.path("recovery").path("recovery").path("source").asText();
  }

  public String recoveryDigest() {
    return root.path("recovery").path("recovery").path("digest").asText();
  }

  public void write(Path file) {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      YAML.writeValue(temp.toFile(), root);
      Durable.replace(temp, file);
    } catch (IOException e) {
      throw new ToolkitException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public String yaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
