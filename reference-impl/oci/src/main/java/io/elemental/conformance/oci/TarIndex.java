package io.elemental.conformance.oci;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Lists a layer tarball's members (ustar, GNU long names, PAX paths), whatever its compression:
 * what whiteouts it carries and what replaces what must be known before GNU tar extracts it.
 */
public final class TarIndex {
  private static final int BLOCK = 512;

  private TarIndex() {}

  public static List<TarEntry> list(Path layer) throws IOException {
    try (InputStream in = Compression.open(layer)) {
      return list(in);
    }
  }

  public static List<TarEntry> list(InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    List<TarEntry> entries = new ArrayList<>();
    byte[] header = new byte[BLOCK];
    String longName = null;
    String paxPath = null;
    while (true) {
      if (!readBlock(in, header)) break;
      if (isZero(header)) break;
      char type = (char) header[156];
      long size = octal(header, 124, 12);
      if (type == 'L' || type == 'x' || type == 'g' || type == 'K') {
        byte[] data = readData(in, size);
        if (type == 'L') {
          longName = cString(data, 0, data.length);
        } else if (type == 'x') {
          paxPath = paxValue(data, "path");
        }
        continue;
      }
      String name = longName != null ? longName : paxPath != null ? paxPath : ustarName(header);
      longName = null;
      paxPath = null;
      skip(in, padded(size, type));
      String path = normalise(name);
      if (!path.isEmpty()) {
        entries.add(new TarEntry(path, typeOf(type)));
      }
    }
    return entries;
  }

  /** Relative, without "./" or trailing slashes; "" for the root itself. Refuses ".." so no entry leaves the root. */
  static String normalise(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.startsWith("./") ? path.substring(2) : path.substring(1);
    }
    while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
    if (path.equals(".")) return "";
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new OciException("layer member '" + name + "' climbs out of the image root with '..'");
      }
    }
    return path.replaceAll("/+", "/").replace("/./", "/");
  }

  private static TarEntry.Type typeOf(char type) {
    return switch (type) {
      case '0', '\0', '7' -> TarEntry.Type.FILE;
      case '1' -> TarEntry.Type.HARDLINK;
      case '2' -> TarEntry.Type.SYMLINK;
      case '3' -> TarEntry.Type.CHAR_DEVICE;
      case '4' -> TarEntry.Type.BLOCK_DEVICE;
      case '5' -> TarEntry.Type.DIRECTORY;
      case '6' -> TarEntry.Type.FIFO;
      default -> TarEntry.Type.OTHER;
    };
  }

  /** Only regular files (and unknown types) carry data; links and devices have none, whatever size says. */
  private static long padded(long size, char type) {
    if ("123456".indexOf(type) >= 0) return 0;
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String paxValue(byte[] data, String key) {
    // Records are "<len> <key>=<value>\n"; len counts the whole record in bytes.
    int pos = 0;
    String found = null;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') space++;
      if (space >= data.length) break;
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII).trim());
      if (length <= 0) break;
      String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0 && record.substring(0, eq).equals(key)) found = record.substring(eq + 1);
      pos += length;
    }
    return found;
  }

  private static long octal(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      // GNU base-256 for sizes of 8 GiB and more.
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) value = (value << 8) | (header[offset + i] & 0xff);
      return value;
    }
    String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) end++;
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) if (b != 0) return false;
    return true;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) return false;
    if (read < BLOCK) throw new EOFException("layer tarball ends inside a header");
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 16 << 20) throw new IOException("tar extension header of " + size + " bytes");
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) throw new EOFException("layer tarball ends inside an extension header");
    skip(in, (size + BLOCK - 1) / BLOCK * BLOCK - size);
    return data;
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) throw new EOFException("layer tarball ends inside a member");
        skipped = 1;
      }
      left -= skipped;
    }
  }

  /** Layers come gzip'd (usual), zstd'd (OCI allows it) or plain; the first bytes say which. */
  static final class Compression {
    private Compression() {}

    static InputStream open(Path layer) throws IOException {
      byte[] magic = new byte[4];
      try (InputStream probe = Files.newInputStream(layer)) {
        probe.readNBytes(magic, 0, 4);
      }
      InputStream file = Files.newInputStream(layer);
      if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        return new GZIPInputStream(file, 1 << 16);
      }
      if ((magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
        file.close();
        Process zstd = new ProcessBuilder("zstd", "-dc", layer.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return zstd.getInputStream();
      }
      return file;
    }
  }
}
