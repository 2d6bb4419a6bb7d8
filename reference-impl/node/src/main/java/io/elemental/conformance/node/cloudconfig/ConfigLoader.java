package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one cloud-config file into a {@link YipConfig}, or says why yip would not load it: YAML
 * that does not parse, or a value of the wrong kind, each with its line. Only the first YAML
 * document of a file counts, as in yip.
 */
final class ConfigLoader {
  private ConfigLoader() {}

  /** What reading one file gave. */
  sealed interface Result permits Loaded, Failed {}

  record Loaded(YipConfig config) implements Result {}

  /** {@code line} is 1-based, 0 when the problem has no line (an unreadable file). */
  record Failed(int line, String reason) implements Result {}

  static Result load(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Failed(0, "cannot read it: " + e.getMessage());
    }
    return parse(text);
  }

  static Result parse(String text) {
    Node document;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported as yaml.v3 reports them, by YamlDecoder
      Iterator<Node> documents = new Yaml(options).composeAll(new StringReader(text)).iterator();
      document = documents.hasNext() ? documents.next() : null;
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
      return new Failed(line, "YAML does not parse: " + problem.strip() + context);
    } catch (YAMLException e) {
      return new Failed(0, "YAML does not parse: " + e.getMessage().lines().findFirst().orElse(""));
    }
    YamlDecoder yaml = new YamlDecoder();
    YipConfig config;
    try {
      config = CloudInitFile.isCloudConfig(text) ? CloudInitFile.translate(document, yaml)
          : new YipFileParser(yaml).parse(document, Set.of());
    } catch (CloudConfigSyntaxException e) {
      return new Failed(e.line(), e.getMessage());
    }
    List<YamlDecoder.TypeError> errors = yaml.errors();
    if (!errors.isEmpty()) {
      YamlDecoder.TypeError first = errors.get(0);
      String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more type error"
          + (errors.size() > 2 ? "s" : "") + ")" : "";
      return new Failed(first.line(), first.message() + more);
    }
    return new Loaded(config);
  }
}
