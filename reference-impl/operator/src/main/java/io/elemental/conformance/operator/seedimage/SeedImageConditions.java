package io.elemental.conformance.operator.seedimage;

/**
 * The real operator's SeedImage conditions: {@code Ready} says whether what the build needs
 * could be set up, {@code SeedImageReady} how the build itself goes.
 */
public final class SeedImageConditions {
  public static final String READY = "Ready";
  public static final String SEED_IMAGE_READY = "SeedImageReady";

  // Ready
  public static final String RESOURCES_NOT_CREATED_YET = "ResourcesNotCreatedYet";
  /** The real reason's name for "registrationRef names no MachineRegistration". */
  public static final String REGISTRATION_NOT_FOUND = "RegistrationNotFound";
  /** The real operator's reason when the build cannot start (there: its builder Pod); here also for a registration that is not ready. */
  public static final String POD_CREATION_FAILURE = "PodCreationFailure";
  public static final String RESOURCES_SUCCESSFULLY_CREATED = "ResourcesSuccessfullyCreated";

  // SeedImageReady
  public static final String BUILD_NOT_STARTED = "SeedImageBuildNotStarted";
  public static final String BUILD_ONGOING = "SeedImageBuildOngoing";
  public static final String BUILD_FAILURE = "SeedImageBuildFailure";
  public static final String EXPOSE_FAILURE = "SeedImageExposeFailure";
  public static final String BUILD_SUCCESS = "SeedImageBuildSuccess";
  public static final String BUILD_DEADLINE = "SeedImageBuildDeadline";

  private SeedImageConditions() {}
}
