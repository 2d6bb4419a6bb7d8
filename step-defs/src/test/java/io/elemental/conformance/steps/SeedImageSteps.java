package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.elemental.conformance.api.v1beta1.SeedImage;
import io.elemental.conformance.fixtures.vm.IsoFiles;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.nio.file.Path;
import java.util.Locale;

/** ScenarioSeedImages: built from an OS image, served with a checksum, carrying the registration's config. */
public class SeedImageSteps {
  private final ScenarioScope scope;
  private final ScenarioSeedImages seedImages;
  private final RegistrationSteps registering;
  private Scenario scenario;

  public SeedImageSteps(ScenarioScope scope, ScenarioSeedImages seedImages, RegistrationSteps registering) {
    this.scope = scope;
    this.seedImages = seedImages;
    this.registering = registering;
  }

  @Before
  public void keep(Scenario scenario) {
    this.scenario = scenario;
  }

  @Given("the SeedImage {string} of {string} is built from the reference OS image")
  public void seedImageOfReferenceImage(String name, String registration) {
    String namespace = scope.namespaceOf(registration);
    SeedImage image = new SeedImage();
    image.getMetadata().setName(name);
    image.getMetadata().setNamespace(namespace);
    image.setSpec(new SeedImage.Spec());
    image.getSpec().baseImage = scope.environment().virtualMachines().osImage("v1");
    image.getSpec().type = "iso";
    image.getSpec().registrationRef = new ObjectReferenceBuilder().withKind("MachineRegistration")
        .withApiVersion("elemental.cattle.io/v1beta1").withName(registration).withNamespace(namespace).build();
    scope.client().resources(SeedImage.class).inNamespace(namespace).resource(image).create();
    seedImages.created(name, namespace);
    long start = System.nanoTime();
    seedImages.awaitBuilt(name);
    scenario.log(String.format(Locale.ROOT, "SeedImage %s built and served in %.1f s from %s", name,
        (System.nanoTime() - start) / 1e9, image.getSpec().baseImage));
  }

  @Then("the SeedImage {string} is ready to download")
  public void readyToDownload(String name) {
    SeedImage image = seedImages.get(name);
    assertThat(image.getStatus().conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo(ScenarioSeedImages.READY);
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("SeedImageBuildSuccess");
    });
    String serverUrl = scope.environment().rancher().setting("server-url");
    assertThat(image.getStatus().downloadURL).startsWith(serverUrl + "/elemental/seedimage/").endsWith(".iso");
    assertThat(image.getStatus().checksumURL).startsWith(serverUrl + "/elemental/seedimage/").endsWith(".sha256");
  }

  @Then("the ISO downloaded from {string} matches its published checksum")
  public void checksumMatches(String name) {
    // The download checks the SHA-256 of what arrived against the checksum URL.
    assertThat(seedImages.downloadedIso(name)).isRegularFile();
  }

  @Then("the ISO of {string} carries the registration config of {string}")
  public void carriesRegistrationConfig(String name, String registration) throws Exception {
    Path iso = seedImages.downloadedIso(name);
    String carried = IsoFiles.read(iso, "/livecd-cloud-config.yaml");
    assertThat(carried).as("livecd-cloud-config.yaml on the ISO").startsWith(registering.seedConfig(registration));
  }
}
