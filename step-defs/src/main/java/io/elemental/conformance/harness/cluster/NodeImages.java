package io.elemental.conformance.harness.cluster;

import io.elemental.conformance.fixtures.image.DockerEngine;
import io.elemental.conformance.fixtures.process.ShortCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts images into the node's containerd without a registry: Docker's images by
 * {@code docker save | ctr images import}, and the pod sandbox image, which is one static
 * binary, as an OCI archive written here (so a node needs no Docker engine for it).
 */
final class NodeImages {
  private static final Logger LOG = LoggerFactory.getLogger(NodeImages.class);
  private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(5);

  private final LocalNode node;

  NodeImages(LocalNode node) {
    this.node = node;
  }

  /** Whether containerd already holds {@code reference} (tags name content here, so the same bytes). */
  boolean has(String reference) {
    return !ShortCommand.run("ctr images ls " + reference, node.ctr("images", "ls", "--quiet",
        "name==" + fullName(reference)), Duration.ofSeconds(20)).isBlank();
  }

  /** Imports {@code reference} unless it is there, then drops older tags of its repository (the store is kept). */
  void importFromDocker(DockerEngine docker, String reference) {
    if (has(reference)) {
      LOG.info("node {}: {} already in containerd's store", node.name(), reference);
      return;
    }
    long start = System.nanoTime();
    List<String> ctr = node.ctr("images", "import", "-");
    // pipefail: a failed save must not look like an empty, successful import.
    String pipeline = "set -o pipefail; " + quote(docker.executable().toString()) + " save \"$0\" | "
        + String.join(" ", ctr.stream().map(NodeImages::quote).toList());
    ShortCommand.run("docker save " + reference + " | ctr images import", List.of("bash", "-c", pipeline, reference),
        IMPORT_TIMEOUT);
    LOG.info("node {}: imported {} from Docker in {} ms", node.name(), reference, (System.nanoTime() - start) / 1_000_000);
    String repository = fullName(reference).substring(0, fullName(reference).lastIndexOf(':') + 1);
    for (String old : ShortCommand.run("ctr images ls", node.ctr("images", "ls", "--quiet"), Duration.ofSeconds(20))
        .lines().map(String::trim).filter(n -> n.startsWith(repository) && !n.equals(fullName(reference))).toList()) {
      ShortCommand.run("ctr images rm " + old, node.ctr("images", "rm", old), Duration.ofSeconds(30));
    }
  }

  /** How containerd names a Docker Hub style reference. */
  private static String fullName(String reference) {
    return reference.contains("/") && reference.substring(0, reference.indexOf('/')).contains(".")
        ? reference : "docker.io/" + reference;
  }

  void importPause(Path pause, String reference) {
    try {
      Path archive = Files.createTempFile("pause-", ".oci.tar");
      try {
        Files.write(archive, ociArchive(Files.readAllBytes(pause), reference));
        ShortCommand.run("ctr images import " + reference, node.ctr("images", "import", archive.toString()),
            IMPORT_TIMEOUT);
      } finally {
        Files.deleteIfExists(archive);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not make the pod sandbox image from " + pause + ": " + e.getMessage(), e);
    }
  }

  /** An OCI image layout (index.json, oci-layout, blobs) as a tar: one layer holding {@code /pause}. */
  static byte[] ociArchive(byte[] pauseBinary, String reference) {
    Tar layerTar = new Tar();
    layerTar.file("pause", pauseBinary, 0755);
    byte[] layer = layerTar.finish();
    String layerDigest = sha256(layer);
    byte[] config = """
        {"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"],"User":"65535:65535"},\
        "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(layerDigest).getBytes(StandardCharsets.UTF_8);
    byte[] manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
        .formatted(sha256(config), config.length, layerDigest, layer.length).getBytes(StandardCharsets.UTF_8);
    String tag = reference.substring(reference.lastIndexOf(':') + 1);
    byte[] index = """
        {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"},\
        "annotations":{"io.containerd.image.name":"docker.io/%s","org.opencontainers.image.ref.name":"%s"}}]}"""
        .formatted(sha256(manifest), manifest.length, reference, tag).getBytes(StandardCharsets.UTF_8);
    Tar archive = new Tar();
    archive.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), 0644);
    archive.file("index.json", index, 0644);
    for (byte[] blob : List.of(layer, config, manifest)) {
      archive.file("blobs/sha256/" + sha256(blob).substring("sha256:".length()), blob, 0644);
    }
    return archive.finish();
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The few bytes of ustar needed for regular files: enough for an image layer and an OCI layout. */
  static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void file(String name, byte[] content, int mode) {
      byte[] header = new byte[512];
      put(header, 0, name, 100);
      put(header, 100, octal(mode, 7), 8);
      put(header, 108, octal(0, 7), 8);
      put(header, 116, octal(0, 7), 8);
      put(header, 124, octal(content.length, 11), 12);
      put(header, 136, octal(0, 11), 12);
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      header[156] = '0';
      put(header, 257, "ustar", 6);
      put(header, 263, "00", 2);
      int sum = 0;
      for (byte b : header) sum += b & 0xff;
      put(header, 148, octal(sum, 6) + "\0 ", 8);
      out.writeBytes(header);
      out.writeBytes(content);
      out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    byte[] finish() {
      out.writeBytes(new byte[1024]);
      return out.toByteArray();
    }

    private static String octal(long value, int digits) {
      return String.format("%0" + digits + "o", value);
    }

    private static void put(byte[] header, int offset, String value, int length) {
      byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }
  }
}
