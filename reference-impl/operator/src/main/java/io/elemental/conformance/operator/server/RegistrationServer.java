package io.elemental.conformance.operator.server;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.inventory.InventoryIndex;
import io.elemental.conformance.operator.inventory.InventoryRegistrar;
import io.elemental.conformance.operator.rancher.RancherSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import io.elemental.conformance.attestation.EkTrustBundle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration endpoint, {@code /elemental/registration/{token}} over HTTPS: a plain GET
 * returns the registration config YAML, a websocket runs the registration protocol. Unknown
 * tokens are 404 and unusable Authorization headers 401, both before the upgrade.
 */
public final class RegistrationServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationServer.class);
  public static final String PATH = "/elemental/registration/";
  public static final String TPM_CA_SECRET = "tpm-ca";
  /** Both real peers give a whole registration this long, from the upgrade on. */
  public static final Duration SESSION_DEADLINE = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final ServerTls tls;
  private final RegistrationLookup registrations;
  private final InventoryIndex inventories;
  private final InventoryRegistrar registrar;
  private final EndpointCache cache;
  private final ExecutorService conversations = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "registration");
    thread.setDaemon(true);
    return thread;
  });
  private final Server server;

  private RegistrationServer(KubernetesClient client, ServerTls tls, int port, List<Handler> alongside) {
    this.client = client;
    this.tls = tls;
    this.registrations = new RegistrationLookup(client);
    this.inventories = new InventoryIndex(client);
    this.registrar = new InventoryRegistrar(client, inventories);
    this.cache = new EndpointCache(client);
    this.server = jetty(port, alongside);
  }

  public static RegistrationServer start(KubernetesClient client, ServerTls tls, int port) {
    return start(client, tls, port, List.of());
  }

  /** With {@code alongside}: more of the operator's endpoints (seed image downloads) on the same HTTPS port. */
  public static RegistrationServer start(KubernetesClient client, ServerTls tls, int port, List<Handler> alongside) {
    RegistrationServer registration = new RegistrationServer(client, tls, port, alongside);
    try {
      registration.server.start();
    } catch (Exception e) {
      registration.close();
      throw new IllegalStateException("the registration endpoint could not listen on port " + port + ": "
          + e.getMessage() + ". Fix: free the port or pick another", e);
    }
    LOG.info("registration endpoint listening on https://127.0.0.1:{}{}", registration.port(), PATH);
    return registration;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public ServerTls tls() {
    return tls;
  }

  private Server jetty(int port, List<Handler> alongside) {
    Server jetty = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(ServerTls.PASSWORD));
    HttpConfiguration https = new HttpConfiguration();
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setPort(port);
    jetty.addConnector(connector);

    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler websocket = WebSocketUpgradeHandler.from(jetty, context, container -> {
      container.setMaxBinaryMessageSize(io.elemental.conformance.api.registration.Message.MAX_SIZE);
      container.setIdleTimeout(SESSION_DEADLINE);
      container.addMapping(PATH + "*", (request, response, callback) -> upgrade(request, response, callback));
    });
    List<Handler> plain = new java.util.ArrayList<>();
    plain.add(new ConfigHandler());
    plain.addAll(alongside);
    websocket.setHandler(new Handler.Sequence(plain));
    context.setHandler(websocket);
    jetty.setHandler(context);
    return jetty;
  }

  /** Decides before the upgrade: unknown token 404, unusable Authorization 401, else a conversation. */
  private Object upgrade(Request request, Response response, Callback callback) {
    RegistrationLookup.Result found = registrations.find(token(request));
    if (found.registration() == null) {
      plainError(response, callback, 404, found.notFound());
      return null;
    }
    MachineRegistration registration = found.registration();
    Authenticator authenticator;
    try {
      authenticator = Authenticators.forHeader(request.getHeaders().get(HttpHeader.AUTHORIZATION),
          () -> ekTrust(registration.getMetadata().getNamespace()));
    } catch (Authenticator.Unauthorized e) {
      plainError(response, callback, 401, e.getMessage());
      return null;
    }
    return new JettyMessageChannel(SESSION_DEADLINE, channel -> conversations.submit(() ->
        new ServerConversation(channel, authenticator, registration, registrar, this::configFor).run()));
  }

  /** The {@code tpm-ca} Secret of the registration's namespace: EK certificates must chain to it. */
  private Optional<EkTrustBundle> ekTrust(String namespace) {
    Secret secret = client.secrets().inNamespace(namespace).withName(TPM_CA_SECRET).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("tls.crt")) {
      return Optional.empty();
    }
    return Optional.of(EkTrustBundle.fromPem(
        new String(Base64.getDecoder().decode(secret.getData().get("tls.crt")), StandardCharsets.UTF_8)));
  }

  private String configFor(MachineRegistration registration, MachineInventory inventory)
      throws InventoryRegistrar.RegistrationRefused {
    String serverUrl = cache.setting(RancherSettings.SERVER_URL).map(RancherSettings::withoutTrailingSlash).orElseThrow(() ->
        new InventoryRegistrar.RegistrationRefused("Rancher setting server-url is not set"));
    return ClientConfigs.afterRegistration(registration, caCerts(), inventory, serverUrl + "/k8s/clusters/local",
        agentToken(registration));
  }

  /** The registration ServiceAccount's token: what the machine's agent authenticates with. */
  private String agentToken(MachineRegistration registration) throws InventoryRegistrar.RegistrationRefused {
    String name = registration.getMetadata().getName() + Elemental.TOKEN_SECRET_SUFFIX;
    Secret secret = cache.managedSecret(registration.getMetadata().getNamespace(), name)
        .filter(s -> s.getData() != null && s.getData().containsKey("token"))
        .orElseGet(() -> client.secrets().inNamespace(registration.getMetadata().getNamespace()).withName(name).get());
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("token")) {
      throw new InventoryRegistrar.RegistrationRefused("the token of Secret " + name + " is not ready yet");
    }
    return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  private String caCerts() {
    return cache.setting(RancherSettings.CA_CERTS).orElse(tls.caPem());
  }

  /** Errors as one line of text, as the real server's http.Error writes them: clients show the body. */
  private static void plainError(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, java.nio.ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static String token(Request request) {
    String path = request.getHttpURI().getPath();
    String token = path.substring(path.lastIndexOf('/') + 1);
    return token.replace("\r", "").replace("\n", "");
  }

  /** A GET without websocket: how to register, as YAML. */
  private final class ConfigHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      if (!path.startsWith(PATH)) {
        return false;
      }
      RegistrationLookup.Result found = registrations.find(token(request));
      if (found.registration() == null) {
        plainError(response, callback, 404, found.notFound());
        return true;
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/yaml");
      response.write(true, java.nio.ByteBuffer.wrap(ClientConfigs.registration(found.registration(), caCerts())
          .getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the registration endpoint: {}", e.getMessage());
    }
    conversations.shutdownNow();
    registrations.close();
    inventories.close();
    cache.close();
  }
}
