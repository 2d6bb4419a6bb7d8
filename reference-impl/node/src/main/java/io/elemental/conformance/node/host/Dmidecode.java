package io.elemental.conformance.node.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dmidecode's text output as the nested map the register client sends in its Smbios message:
 * section title → {field → value}, a field whose values follow on indented lines → list. A
 * title seen more than once (Memory Device, Processor…) keeps its first section, so that
 * templates such as {@code ${System Information/UUID}} always find a map of strings.
 */
public final class Dmidecode {
  private Dmidecode() {}

  public static Map<String, Object> parse(String text) {
    Map<String, Object> sections = new LinkedHashMap<>();
    String title = null;
    Map<String, Object> fields = null;
    String listKey = null;
    boolean inRecord = false;
    for (String raw : text.split("\n", -1)) {
      String line = raw.stripTrailing();
      if (line.isEmpty()) {
        title = null;
        fields = null;
        listKey = null;
        inRecord = false;
        continue;
      }
      if (line.startsWith("Handle ")) {
        inRecord = true;
        continue;
      }
      if (!inRecord) continue; // dmidecode's preamble ("# dmidecode 3.4", "SMBIOS 3.0.0 present.")
      if (!line.startsWith("\t")) {
        title = line.trim();
        fields = new LinkedHashMap<>();
        listKey = null;
        if (!sections.containsKey(title)) sections.put(title, fields);
        continue;
      }
      if (fields == null) continue;
      if (line.startsWith("\t\t")) {
        if (listKey != null) listOf(fields, listKey).add(line.trim());
        continue;
      }
      String entry = line.trim();
      int colon = entry.indexOf(':');
      if (colon < 0) continue;
      String key = entry.substring(0, colon).trim();
      String value = entry.substring(colon + 1).trim();
      if (value.isEmpty()) {
        listKey = key;
        fields.put(key, new ArrayList<String>());
      } else {
        listKey = null;
        fields.put(key, value);
      }
    }
    return sections;
  }

  @SuppressWarnings("unchecked")
  private static List<String> listOf(Map<String, Object> fields, String key) {
    return (List<String>) fields.get(key);
  }
}
