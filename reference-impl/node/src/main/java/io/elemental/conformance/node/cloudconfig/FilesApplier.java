package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.DirectoryEntry;
import io.elemental.conformance.node.cloudconfig.Step.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * {@code files} (and cloud-init's {@code write_files}), as yip's {@code EnsureFiles}: a missing
 * parent directory is made with the file's mode plus owner-execute when the mode is below 0700,
 * and the file's owner; the content is decoded ({@code b64}/{@code base64}, {@code gz}/{@code gzip},
 * {@code gz+b64} and the like), written whole (a temporary file renamed over the old one), given
 * the mode's permission bits and chowned. An owner given as "user[:group]" is looked up in the
 * root's passwd and group files once the file is written, as yip looks it up then.
 */
final class FilesApplier implements StepApplier {
  @Override
  public String key() {
    return "files";
  }

  @Override
  public void apply(Step step, StepContext context) {
    for (FileEntry file : step.files()) {
      try {
        write(file, context.target());
      } catch (IOException | IllegalArgumentException e) {
        context.fail("files: " + file.path() + ": " + Reasons.of(e));
      }
    }
  }

  private static void write(FileEntry file, Target target) throws IOException {
    String parent = DirectoriesApplier.parentOf(file.path());
    if (!Files.exists(target.root().resolve(parent))) {
      int mode = Integer.compareUnsigned(file.permissions(), 0700) < 0 ? file.permissions() + 0100 : file.permissions();
      DirectoriesApplier.ensure(new DirectoryEntry(parent, mode, file.owner(), file.group()), target, true);
    }
    byte[] content = decode(file.content(), file.encoding());
    var path = target.root().resolve(file.path());
    AtomicFiles.write(path, content, file.permissions(), null);
    int[] owner = file.ownerString().isEmpty() ? new int[] {file.owner(), file.group()}
        : Accounts.read(target.root()).idsOf(file.ownerString());
    target.ownership().chown(path, owner[0], owner[1]);
  }

  /** yip's decoders; an unknown encoding means the content as it is. */
  static byte[] decode(String content, String encoding) throws IOException {
    return switch (encoding) {
      case "b64", "base64" -> base64(content);
      case "gz", "gzip" -> gunzip(content.getBytes(StandardCharsets.ISO_8859_1));
      case "gz+base64", "gzip+base64", "gz+b64", "gzip+b64" -> gunzip(base64(content));
      default -> content.getBytes(StandardCharsets.UTF_8);
    };
  }

  private static byte[] base64(String content) throws IOException {
    try {
      return Base64.getDecoder().decode(content.replace("\n", "").replace("\r", "")); // Go skips CR and LF too
    } catch (IllegalArgumentException e) {
      throw new IOException("failed decoding content with encoding base64: " + e.getMessage());
    }
  }

  private static byte[] gunzip(byte[] data) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IOException("failed decoding content with encoding gzip: " + e.getMessage());
    }
  }
}
