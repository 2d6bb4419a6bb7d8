package io.elemental.conformance.operator.seedimage;

import io.elemental.conformance.api.v1beta1.SeedImage;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /elemental/seedimage/{token}/{file}}: a built seed image (or its {@code .sha256}), as
 * the real operator's endpoint serves it. The token must belong to a SeedImage whose conditions
 * are all True (the real rule); anything else is 404. Single byte ranges are honoured, so an
 * interrupted download can resume.
 */
public final class SeedImageDownloads extends Handler.Abstract implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SeedImageDownloads.class);
  private static final String BY_TOKEN = "downloadToken";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final Function<String, Optional<SeedImage>> byToken;
  private final SeedImageStore store;
  private final AutoCloseable watch;

  SeedImageDownloads(Function<String, Optional<SeedImage>> byToken, SeedImageStore store, AutoCloseable watch) {
    this.byToken = byToken;
    this.store = store;
    this.watch = watch;
  }

  /**
   * Finds SeedImages by download token in an informer's index.
   *
   * @param deleted told the uid of every SeedImage that goes away, to drop its build and files
   */
  static SeedImageDownloads watching(KubernetesClient client, SeedImageStore store, Consumer<String> deleted) {
    SharedIndexInformer<SeedImage> informer = client.resources(SeedImage.class).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(Map.of(BY_TOKEN, si -> si.getStatus() == null || si.getStatus().downloadToken == null
        ? List.of() : List.of(si.getStatus().downloadToken)));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(SeedImage seedImage) {}

      @Override
      public void onUpdate(SeedImage before, SeedImage after) {}

      @Override
      public void onDelete(SeedImage seedImage, boolean finalStateUnknown) {
        deleted.accept(seedImage.getMetadata().getUid());
      }
    });
    informer.run();
    return new SeedImageDownloads(token -> informer.getIndexer().byIndex(BY_TOKEN, token).stream().findFirst(), store,
        informer::close);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = request.getHttpURI().getDecodedPath();
    if (path == null || !path.startsWith(SeedImageReconciler.DOWNLOAD_PATH)) {
      return false;
    }
    String[] parts = path.substring(SeedImageReconciler.DOWNLOAD_PATH.length()).split("/");
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return notFound(response, callback, "unexpected path: " + path);
    }
    String token = parts[0].replace("\r", "").replace("\n", "");
    Optional<SeedImage> seedImage = byToken.apply(token);
    if (seedImage.isEmpty()) {
      return notFound(response, callback, "failed to find seed image with token path " + token);
    }
    SeedImage found = seedImage.get();
    if (!found.getStatus().conditions.stream().allMatch(c -> "True".equals(c.getStatus()))) {
      return notFound(response, callback, "seedimage " + found.getMetadata().getNamespace() + "/"
          + found.getMetadata().getName() + " is not ready");
    }
    Optional<Path> file = store.servedFile(found.getMetadata().getUid(), parts[1]);
    if (file.isEmpty()) {
      return notFound(response, callback, "seedimage " + found.getMetadata().getNamespace() + "/"
          + found.getMetadata().getName() + " has no file " + parts[1]);
    }
    serve(request, response, callback, file.get());
    return true;
  }

  private static void serve(Request request, Response response, Callback callback, Path file) throws IOException {
    long size = Files.size(file);
    long first = 0;
    long last = size - 1;
    String range = request.getHeaders().get(HttpHeader.RANGE);
    Matcher m = range == null ? null : RANGE.matcher(range.trim());
    response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
    if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
      if (m.group(1).isEmpty()) {
        first = Math.max(0, size - Long.parseLong(m.group(2)));
      } else {
        first = Long.parseLong(m.group(1));
        last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
      }
      if (first >= size || first > last) {
        response.setStatus(416);
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
        callback.succeeded();
        return;
      }
      response.setStatus(206);
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
    } else {
      response.setStatus(200);
    }
    String name = file.getFileName().toString();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, name.endsWith(".sha256") ? "text/plain; charset=utf-8"
        : "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, last - first + 1);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      callback.succeeded();
      return;
    }
    LOG.debug("serving {} bytes {}-{}", file, first, last);
    Content.copy(Content.Source.from(file, first, last - first + 1), response, callback);
  }

  /** As the real endpoint: plain text, one line, 404. */
  private static boolean notFound(Response response, Callback callback, String message) {
    response.setStatus(404);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (Exception e) {
      LOG.warn("closing the seed image watch: {}", e.getMessage());
    }
  }
}
