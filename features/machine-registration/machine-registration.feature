@sim
Feature: Machine registration
  A MachineRegistration is where machines enrol. For each one, the operator issues a
  registration token and publishes the registration URL under Rancher's server-url, and it
  creates the identity that registered machines later use to reach their plan: a
  ServiceAccount, a Role, a RoleBinding and the ServiceAccount's token Secret. Everything it
  creates is owned by the registration, so Kubernetes' garbage collector removes it with it.

  Background:
    Given Rancher's server-url is "https://rancher.elemental.test"

  Rule: A registration gets a token and a URL under Rancher's server-url

    Scenario: The registration URL appears
      When the MachineRegistration "fleet-a" is created
      Then "fleet-a" becomes Ready with reason "SuccessfullyCreated"
      And the registration token of "fleet-a" is a random token of 54 lowercase letters and digits
      And the registration URL of "fleet-a" is "https://rancher.elemental.test/elemental/registration/" followed by its token

    Scenario: A static token gives a predictable URL
      When the MachineRegistration "fleet-b" is created with the token "fleet-b-static-token"
      Then "fleet-b" becomes Ready with reason "SuccessfullyCreated"
      And the registration URL of "fleet-b" is "https://rancher.elemental.test/elemental/registration/fleet-b-static-token"

    Scenario: Without Rancher's server-url there is no registration URL, until it is set
      Given Rancher's server-url is not set
      When the MachineRegistration "fleet-c" is created
      Then "fleet-c" is not Ready, with reason "MissingTokenOrServerURL"
      And "fleet-c" has no registration URL
      When Rancher's server-url is set to "https://rancher.elemental.test/"
      Then "fleet-c" becomes Ready with reason "SuccessfullyCreated"
      And the registration URL of "fleet-c" is "https://rancher.elemental.test/elemental/registration/" followed by its token

  Rule: A token belongs to one registration
    Reference behaviour: of two registrations that claim the same token, the one created first
    keeps it (one already serving the token comes first); the later one is refused with DuplicateToken and gets no URL and no identity.
    When the first goes away, the later one is reconciled again and takes the token over.

    Scenario Outline: A duplicate token is refused, <where>
      Given the MachineRegistration "first" is created with the token "shared-token"
      And "first" becomes Ready with reason "SuccessfullyCreated"
      When the MachineRegistration "second" is created <where> with the token "shared-token"
      Then "second" is not Ready, with reason "DuplicateToken"
      And "second" has no registration URL
      And "second" has no ServiceAccount
      And "first" is Ready with reason "SuccessfullyCreated"

      Examples:
        | where                 |
        | in the same namespace |
        | in another namespace  |

    Scenario: The token passes on when its holder is deleted
      Given the MachineRegistration "first" is created with the token "handed-over"
      And "first" becomes Ready with reason "SuccessfullyCreated"
      And the MachineRegistration "second" is created in the same namespace with the token "handed-over"
      And "second" is not Ready, with reason "DuplicateToken"
      When the MachineRegistration "first" is deleted
      Then "second" becomes Ready with reason "SuccessfullyCreated"
      And the registration URL of "second" is "https://rancher.elemental.test/elemental/registration/handed-over"

  Rule: The machines' identity belongs to the registration

    Scenario: The created resources are owned by the registration and labelled as managed
      When the MachineRegistration "fleet-d" is created
      Then "fleet-d" becomes Ready with reason "SuccessfullyCreated"
      And these objects exist, controlled by the MachineRegistration "fleet-d" and labelled "elemental.cattle.io/managed=true":
        | kind           | name          |
        | ServiceAccount | fleet-d       |
        | Role           | fleet-d       |
        | RoleBinding    | fleet-d       |
        | Secret         | fleet-d-token |
      And the Role "fleet-d" allows get, watch, list, update and patch on secrets
      And the RoleBinding "fleet-d" grants the Role "fleet-d" to the ServiceAccount "fleet-d"
      And the Secret "fleet-d-token" holds a service-account token for "fleet-d"
      And the status of "fleet-d" refers to the ServiceAccount "fleet-d"

    Scenario: A deleted piece of the identity is created again
      Given the MachineRegistration "fleet-e" is created
      And "fleet-e" becomes Ready with reason "SuccessfullyCreated"
      When the Secret "fleet-e-token" is deleted
      Then the Secret "fleet-e-token" comes back, controlled by the MachineRegistration "fleet-e"

    Scenario: Deleting the registration removes its resources through the garbage collector
      Given the MachineRegistration "fleet-f" is created
      And "fleet-f" becomes Ready with reason "SuccessfullyCreated"
      When the MachineRegistration "fleet-f" is deleted
      Then the garbage collector removes these objects:
        | kind           | name          |
        | ServiceAccount | fleet-f       |
        | Role           | fleet-f       |
        | RoleBinding    | fleet-f       |
        | Secret         | fleet-f-token |
