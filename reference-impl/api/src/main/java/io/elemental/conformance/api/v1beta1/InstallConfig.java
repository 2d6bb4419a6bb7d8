package io.elemental.conformance.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code config.elemental.install}: where and how the toolkit installs the OS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstallConfig {
  public String device;
  @JsonProperty("device-selector")
  public List<DeviceSelectorRequirement> deviceSelector;
  public Boolean reboot;
  public Boolean poweroff;
  @JsonProperty("eject-cd")
  public Boolean ejectCd;
  @JsonProperty("system-uri")
  public String systemUri;
  @JsonProperty("config-urls")
  public List<String> configUrls;
  public Boolean debug;
  public Snapshotter snapshotter;

  /** One rule for picking the install disk: {@code key} Name|Size, {@code operator} In|NotIn|Gt|Lt. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DeviceSelectorRequirement {
    public String key;
    public String operator;
    public List<String> values;
  }

  /** {@code loopdevice} or {@code btrfs}, keeping {@code maxSnaps} snapshots (default 2). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Snapshotter {
    public String type;
    public Integer maxSnaps;
  }
}
