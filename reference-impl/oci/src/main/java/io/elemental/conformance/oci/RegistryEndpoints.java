package io.elemental.conformance.oci;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How this process reaches a registry named in an image reference, as containerd's registry
 * configuration says it: some registries are reached at another host than the one in the
 * reference (a VM and its host see the same registry at different addresses), and some speak
 * plain HTTP. Both come from the process's settings:
 * <ul>
 *   <li>{@code ELEMENTAL_REGISTRY_HOSTS} or {@code -Delemental.registry.hosts}: {@code from=to,...},
 *       hosts only (the port stays), e.g. {@code 10.0.2.100=127.0.0.1};
 *   <li>{@code ELEMENTAL_INSECURE_REGISTRIES} or {@code -Delemental.insecure.registries}: hosts or
 *       host:port pairs spoken to over plain HTTP. Loopback always is.
 * </ul>
 */
final class RegistryEndpoints {
  private RegistryEndpoints() {}

  /** The registry's {@code host[:port]} as this process must dial it. */
  static String address(String registry) {
    String host = host(registry);
    String mapped = hostMap().get(host);
    return mapped == null ? registry : mapped + registry.substring(host.length());
  }

  /** Plain HTTP: loopback (after mapping), or listed as insecure. */
  static boolean insecure(String registry) {
    String host = host(address(registry));
    if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) return true;
    return Arrays.stream(setting("ELEMENTAL_INSECURE_REGISTRIES", "elemental.insecure.registries").split(","))
        .map(String::trim).anyMatch(entry -> !entry.isEmpty() && (entry.equals(registry) || entry.equals(host(registry))));
  }

  private static String host(String registry) {
    return registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1) : registry.split(":")[0];
  }

  private static Map<String, String> hostMap() {
    return Arrays.stream(setting("ELEMENTAL_REGISTRY_HOSTS", "elemental.registry.hosts").split(","))
        .map(String::trim).filter(e -> e.contains("="))
        .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')).trim(), e -> e.substring(e.indexOf('=') + 1).trim(),
            (a, b) -> b));
  }

  private static String setting(String env, String property) {
    return Optional.ofNullable(System.getProperty(property)).filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(System.getenv(env))).orElse("");
  }
}
