package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Where {@code elemental run-stage} reads cloud-config, in order (elemental-toolkit
 * {@code pkg/constants}: {@code GetCloudInitPaths}, and {@code pkg/utils/runstage.go}):
 * {@code /system/oem}, {@code /oem}, {@code /usr/local/cloud-config}, then the
 * {@code cloud-init-paths} of the toolkit's config ({@code /etc/elemental/config.yaml}, then
 * {@code config.d/*.yaml}, the last one naming them wins), then the {@code elemental.setup=} (or
 * {@code cos.setup=}) paths of the kernel command line. Remote URLs are not read here.
 */
public final class ConfigPaths {
  public static final List<String> DEFAULTS = List.of("/system/oem", "/oem", "/usr/local/cloud-config");

  private ConfigPaths() {}

  /** The paths of {@code root}'s system (as the system names them), {@code extra} after the configured ones. */
  public static List<String> of(SystemRoot root, List<String> extra, RunLog log) {
    List<String> paths = new ArrayList<>(DEFAULTS);
    paths.addAll(configured(root, log));
    paths.addAll(extra);
    paths.addAll(fromCmdline(root));
    List<String> local = new ArrayList<>();
    for (String path : paths) {
      if (path.matches("^[A-Za-z][A-Za-z0-9+.\\-]*://.*")) {
        log.line("cloud-init path " + path + " is a URL; the reference runner reads local paths only, skipped");
      } else {
        local.add(path);
      }
    }
    return local;
  }

  /** On this machine: each path under the root, the ones that do not exist left out. */
  public static List<Path> resolve(SystemRoot root, List<String> paths) {
    return paths.stream().map(root::resolve).filter(Files::exists).distinct().toList();
  }

  static List<String> configured(SystemRoot root, RunLog log) {
    List<String> paths = List.of();
    Path dir = root.resolve("/etc/elemental");
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(dir.resolve("config.yaml"))) files.add(dir.resolve("config.yaml"));
    Path extra = dir.resolve("config.d");
    if (Files.isDirectory(extra)) {
      try (Stream<Path> walk = Files.walk(extra)) {
        walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
            .forEach(files::add);
      } catch (IOException e) {
        log.line("cannot read " + root.logical(extra) + ": " + Reasons.of(e));
      }
    }
    for (Path file : files) {
      try {
        Object document = new Yaml(new LoaderOptions()).load(new StringReader(Files.readString(file,
            StandardCharsets.UTF_8)));
        if (document instanceof Map<?, ?> map && map.get("cloud-init-paths") instanceof List<?> list) {
          paths = list.stream().map(String::valueOf).toList();
        }
      } catch (IOException | YAMLException e) {
        log.line("cannot read the toolkit config " + root.logical(file) + ": " + Reasons.of(e));
      }
    }
    return paths;
  }

  private static List<String> fromCmdline(SystemRoot root) {
    Path cmdline = root.resolve("/proc/cmdline");
    if (!Files.isRegularFile(cmdline)) return List.of();
    List<String> paths = new ArrayList<>();
    try {
      for (String arg : Files.readString(cmdline, StandardCharsets.UTF_8).strip().split("\\s+")) {
        String[] kv = arg.split("=");
        if (kv.length > 1 && (kv[0].equals("cos.setup") || kv[0].equals("elemental.setup"))) paths.add(kv[1].strip());
      }
    } catch (IOException e) {
      return List.of();
    }
    return paths;
  }
}
