package io.elemental.conformance.operator.crd;

import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineInventorySelector;
import io.elemental.conformance.api.v1beta1.MachineInventorySelectorTemplate;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.api.v1beta1.ManagedOSImage;
import io.elemental.conformance.api.v1beta1.ManagedOSVersion;
import io.elemental.conformance.api.v1beta1.ManagedOSVersionChannel;
import io.elemental.conformance.api.v1beta1.SeedImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CRDs of every elemental.cattle.io kind, as generated from the Java model at build
 * time by fabric8's crd-generator (META-INF/fabric8/&lt;plural&gt;.&lt;group&gt;-v1.yml).
 */
public final class ElementalCrds {
  public static final List<Class<? extends HasMetadata>> KINDS = List.of(
      MachineRegistration.class,
      MachineInventory.class,
      MachineInventorySelector.class,
      MachineInventorySelectorTemplate.class,
      ManagedOSImage.class,
      ManagedOSVersion.class,
      ManagedOSVersionChannel.class,
      SeedImage.class);

  private ElementalCrds() {}

  public static List<CustomResourceDefinition> all() {
    return KINDS.stream().map(ElementalCrds::load).toList();
  }

  /** All CRDs as one multi-document YAML stream, ready for {@code kubectl apply -f -}. */
  public static String asYaml() {
    StringBuilder out = new StringBuilder();
    for (Class<? extends HasMetadata> kind : KINDS) {
      out.append("---\n"); // one document per CRD: without it, kubectl would read one object with repeated keys
      out.append(read(resourcePath(kind)));
      if (out.charAt(out.length() - 1) != '\n') out.append('\n');
    }
    return out.toString();
  }

  private static CustomResourceDefinition load(Class<? extends HasMetadata> kind) {
    return Serialization.unmarshal(read(resourcePath(kind)), CustomResourceDefinition.class);
  }

  private static String resourcePath(Class<? extends HasMetadata> kind) {
    return "META-INF/fabric8/" + HasMetadata.getFullResourceName(kind) + "-v1.yml";
  }

  private static String read(String path) {
    try (InputStream in = ElementalCrds.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + path + " is not on the classpath: the elemental-api jar was built"
            + " without the crd-generator step. Fix: ./mvnw -pl reference-impl/api install");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
