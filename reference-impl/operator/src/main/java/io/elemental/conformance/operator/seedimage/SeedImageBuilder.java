package io.elemental.conformance.operator.seedimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one seed image: the base OS image as a cached live image (pull, unpack, squashfs),
 * then an ISO carrying the registration config, written to the SeedImage's directory of the
 * store with its checksum. Not thread-safe: one build at a time ({@link SeedImageBuilds}).
 */
public final class SeedImageBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(SeedImageBuilder.class);

  private final LiveImageCache liveImages;
  private final IsoAssembler assembler = new IsoAssembler();
  private final SeedImageStore store;

  SeedImageBuilder(Path workDir, SeedImageStore store) {
    this.liveImages = new LiveImageCache(workDir);
    this.store = store;
  }

  BuiltSeedImage build(BuildRequest request, String token) {
    long begin = System.nanoTime();
    LOG.info("building seed image {} from {}", request.seedImage(), request.baseImage());
    BuildTool.requireAll();
    LiveImage live = liveImages.get(request.baseImage());
    long isoBegin = System.nanoTime();
    Path dir = store.dir(request.uid());
    try {
      LiveImageCache.deleteTree(dir);
      Files.createDirectories(dir);
      IsoAssembler.Iso iso = assembler.assemble(live, request.livecdConfig(), request.cloudConfig(),
          dir.resolve(request.fileName()));
      BuiltSeedImage built = new BuiltSeedImage(request.fingerprint(), request.fileName(), iso.sha256(), token,
          Instant.now().truncatedTo(ChronoUnit.SECONDS), false);
      store.record(request.uid(), built);
      LOG.info("seed image {} built in {} ms (ISO {} ms, {} bytes): {}", request.seedImage(),
          (System.nanoTime() - begin) / 1_000_000, (System.nanoTime() - isoBegin) / 1_000_000, Files.size(iso.file()),
          iso.file());
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException("writing seed image " + request.seedImage() + " to " + dir + ": " + e.getMessage(), e);
    }
  }
}
