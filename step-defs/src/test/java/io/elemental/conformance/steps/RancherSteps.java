package io.elemental.conformance.steps;

import io.cucumber.java.en.Given;

/** What a Rancher administrator does that Elemental depends on. */
public class RancherSteps {
  private final ScenarioScope scope;

  public RancherSteps(ScenarioScope scope) {
    this.scope = scope;
  }

  @Given("Rancher's server-url is {string}")
  @Given("Rancher's server-url is set to {string}")
  public void serverUrlIs(String url) {
    scope.keepOriginalServerUrl();
    scope.environment().rancher().serverUrl(url);
  }

  @Given("Rancher's server-url is not set")
  public void serverUrlIsNotSet() {
    scope.keepOriginalServerUrl();
    scope.environment().rancher().serverUrl("");
  }
}
