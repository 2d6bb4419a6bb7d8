package io.elemental.conformance.operator.inventory;

import java.util.HashMap;
import java.util.Map;

/** What a machine sent before asking for its configuration (Smbios, SystemData, Annotations, Labels). */
public final class RegistrationRequest {
  private final MachineIdentity identity;
  private final Map<String, Object> smbios = new HashMap<>();
  private final Map<String, Object> systemData = new HashMap<>();
  private final Map<String, String> annotations = new HashMap<>();
  private final Map<String, String> labels = new HashMap<>();

  public RegistrationRequest(MachineIdentity identity) {
    this.identity = identity;
  }

  public MachineIdentity identity() {
    return identity;
  }

  public void smbios(Map<String, Object> data) {
    smbios.putAll(data);
  }

  public void systemData(Map<String, Object> data) {
    systemData.putAll(data);
  }

  public void annotations(Map<String, String> data) {
    annotations.putAll(data);
  }

  public void labels(Map<String, String> data) {
    labels.putAll(data);
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  public Map<String, String> labels() {
    return labels;
  }

  /** The tree templates are resolved against: SMBIOS, then system data over it (top level only). */
  public Templater templater() {
    Map<String, Object> merged = new HashMap<>(smbios);
    merged.putAll(systemData);
    return new Templater(merged);
  }
}
