package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.SeedImage;
import io.elemental.conformance.fixtures.vm.IsoFiles;
import io.elemental.conformance.harness.support.Timeouts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
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
    create(name, registration, scope.environment().virtualMachines().osImage("v1"));
    long start = System.nanoTime();
    seedImages.awaitBuilt(name);
    scenario.log(String.format(Locale.ROOT, "SeedImage %s built and served in %.1f s", name,
        (System.nanoTime() - start) / 1e9));
  }

  /** An image name next to the reference OS image, in the same registry, that was never pushed. */
  @When("a SeedImage {string} of {string} is created from {string}, an image its registry does not have")
  public void seedImageOfMissingImage(String name, String registration, String repositoryAndTag) {
    String reference = scope.environment().virtualMachines().osImage("v1");
    String registry = reference.substring(0, reference.indexOf('/'));
    create(name, registration, registry + "/" + repositoryAndTag);
  }

  @Then("the SeedImage {string} fails with reason {string}, naming {string}")
  public void failsWith(String name, String reason, String named) {
    Condition failed = scope.waits().until("SeedImage " + name + " to report " + reason, Timeouts.SEED_IMAGE_BUILD,
        () -> seedImages.get(name).getStatus() == null ? null : seedImages.get(name).getStatus().conditions.stream()
            .filter(c -> ScenarioSeedImages.READY.equals(c.getType()) && reason.equals(c.getReason()))
            .findFirst().orElse(null), c -> c != null);
    assertThat(failed.getStatus()).isEqualTo("False");
    assertThat(failed.getMessage()).contains(named).contains("Fix");
    assertThat(seedImages.get(name).getStatus().downloadURL).as("download URL of a failed build").isNull();
  }

  private void create(String name, String registration, String baseImage) {
    String namespace = scope.namespaceOf(registration);
    SeedImage image = new SeedImage();
    image.getMetadata().setName(name);
    image.getMetadata().setNamespace(namespace);
    image.setSpec(new SeedImage.Spec());
    image.getSpec().baseImage = baseImage;
    image.getSpec().type = "iso";
    image.getSpec().registrationRef = new ObjectReferenceBuilder().withKind("MachineRegistration")
        .withApiVersion("elemental.cattle.io/v1beta1").withName(registration).withNamespace(namespace).build();
    scope.client().resources(SeedImage.class).inNamespace(namespace).resource(image).create();
    seedImages.created(name, namespace);
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
  public void checksumMatches(String name) throws Exception {
    Path iso = seedImages.downloadedIso(name);
    String actual;
    try (var in = Files.newInputStream(iso)) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
      actual = HexFormat.of().formatHex(sha256.digest());
    }
    assertThat(actual).as("SHA-256 of %s", iso).isEqualTo(seedImages.publishedChecksum(name)).matches("[0-9a-f]{64}");
  }

  @Then("the ISO of {string} carries the registration config of {string}")
  public void carriesRegistrationConfig(String name, String registration) throws Exception {
    Path iso = seedImages.downloadedIso(name);
    String carried = IsoFiles.read(iso, "/livecd-cloud-config.yaml");
    assertThat(carried).as("livecd-cloud-config.yaml on the ISO").startsWith(registering.seedConfig(registration));
  }
}
