package io.elemental.conformance.oci;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * An OCI image reference as Elemental users write it: {@code registry[:port]/repository[:tag][@digest]},
 * for example {@code 127.0.0.1:5000/elemental/reference-os:v1}. A reference without a registry
 * host means Docker Hub, as with {@code docker pull}.
 *
 * <p>Registries on loopback are spoken to over plain HTTP (as {@code docker} treats them as
 * insecure by default); every other registry over HTTPS.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final String DOCKER_HUB = "registry-1.docker.io";

  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new OciException("empty image reference. Fix: give one like 127.0.0.1:5000/elemental/os:v1");
    }
    String rest = text.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new OciException("image reference " + text + " has a malformed digest '" + digest + "'");
      }
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      // Like docker: the first component is a host when it has a dot or a port, or is localhost.
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new OciException("image reference " + text + " has an invalid repository '" + rest
          + "' (lowercase letters, digits and separators only)");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** What to ask the registry for: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  /** {@code http} for registries on loopback or configured insecure, {@code https} elsewhere (see {@link RegistryEndpoints}). */
  public String scheme() {
    return RegistryEndpoints.insecure(registry) ? "http" : "https";
  }

  /** The registry's API for this repository, at the address this process reaches it by. */
  public URI apiBase() {
    return URI.create(scheme() + "://" + RegistryEndpoints.address(registry) + "/v2/" + repository + "/");
  }

  @Override
  public String toString() {
    return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
