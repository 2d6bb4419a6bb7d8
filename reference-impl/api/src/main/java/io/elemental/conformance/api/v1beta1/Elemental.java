package io.elemental.conformance.api.v1beta1;

/** Names shared by every Elemental resource: API group, labels, condition types and reasons. */
public final class Elemental {
  public static final String GROUP = "elemental.cattle.io";
  public static final String VERSION = "v1beta1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Set on every object the operator creates on behalf of an Elemental resource. */
  public static final String MANAGED_LABEL = "elemental.cattle.io/managed";
  /** Default prefix for labels and annotations the operator puts on inventories. */
  public static final String DEFAULT_LABEL_PREFIX = "elemental.cattle.io";

  public static final String READY_CONDITION = "Ready";

  /** Reasons of a MachineRegistration's Ready condition. */
  public static final class RegistrationReason {
    public static final String SUCCESSFULLY_CREATED = "SuccessfullyCreated";
    public static final String MISSING_TOKEN_OR_SERVER_URL = "MissingTokenOrServerURL";
    public static final String DUPLICATE_TOKEN = "DuplicateToken";
    public static final String RBAC_CREATION_FAILURE = "RbacCreationFailure";

    private RegistrationReason() {}
  }

  /** Suffix of the service-account token Secret created per MachineRegistration. */
  public static final String TOKEN_SECRET_SUFFIX = "-token";
  /** Path of the registration endpoint under Rancher's server URL. */
  public static final String REGISTRATION_PATH = "/elemental/registration/";

  private Elemental() {}
}
