package io.elemental.conformance.node.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A system-agent plan, the JSON in the plan Secret's {@code plan} key (ELEMENTAL.md §6). Field
 * names follow rancher/system-agent's plan type; anything else in the JSON is ignored, as Go's
 * {@code encoding/json} does. Absent lists and maps read as empty, never null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Plan(
    List<Instruction> instructions,
    List<PeriodicInstruction> periodicInstructions,
    List<PlanFile> files,
    Map<String, Probe> probes) {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public Plan {
    instructions = instructions == null ? List.of() : List.copyOf(instructions);
    periodicInstructions = periodicInstructions == null ? List.of() : List.copyOf(periodicInstructions);
    files = files == null ? List.of() : List.copyOf(files);
    probes = probes == null ? Map.of() : Map.copyOf(probes);
  }

  /** The empty plan, {@code {}}, which the operator puts in every new plan Secret. */
  public static Plan empty() {
    return new Plan(null, null, null, null);
  }

  /**
   * Reads a plan from the bytes exactly as stored in the Secret.
   *
   * @throws PlanFormatException naming what is wrong when the bytes are not a JSON plan object
   */
  public static Plan parse(byte[] json) {
    if (json == null || json.length == 0) {
      throw new PlanFormatException("plan is empty: expected a JSON object such as {}", null);
    }
    Plan plan;
    try {
      plan = JSON.readValue(json, Plan.class);
    } catch (JsonProcessingException e) {
      throw new PlanFormatException("plan is not valid plan JSON: " + e.getOriginalMessage()
          + " (at line " + lineOf(e) + ")", e);
    } catch (IOException e) {
      throw new PlanFormatException("plan could not be read: " + e.getMessage(), e);
    }
    if (plan == null) {
      throw new PlanFormatException("plan is JSON null: expected a JSON object such as {}", null);
    }
    return plan;
  }

  private static String lineOf(JsonProcessingException e) {
    return e.getLocation() == null ? "?" : e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** Fields every instruction has. */
  public interface Command {
    String name();

    String image();

    String command();

    List<String> args();

    List<String> env();
  }

  /** A one-time instruction: runs when the plan is applied. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Instruction(
      String name, String image, String command, List<String> args, List<String> env, boolean saveOutput)
      implements Command {
    public Instruction {
      args = args == null ? List.of() : List.copyOf(args);
      env = env == null ? List.of() : List.copyOf(env);
    }
  }

  /** Runs every {@code periodSeconds} (600 when 0 or absent). Parsed only; not run yet. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PeriodicInstruction(
      String name, String image, String command, List<String> args, List<String> env,
      int periodSeconds, boolean saveStderrOutput) implements Command {
    public static final int DEFAULT_PERIOD_SECONDS = 600;

    public PeriodicInstruction {
      args = args == null ? List.of() : List.copyOf(args);
      env = env == null ? List.of() : List.copyOf(env);
    }

    public int effectivePeriodSeconds() {
      return periodSeconds == 0 ? DEFAULT_PERIOD_SECONDS : periodSeconds;
    }
  }

  /**
   * A file or directory to put on the machine. {@code content} is base64, {@code permissions} an
   * octal string ({@code "0644"}); {@code action: "delete"} removes the path instead. uid/gid are
   * read but not applied (see {@link FileApplier}).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PlanFile(
      String path, String content, String permissions, boolean directory, String action,
      Integer uid, Integer gid) {
    public static final String ACTION_DELETE = "delete";

    public boolean isDelete() {
      return ACTION_DELETE.equalsIgnoreCase(action);
    }
  }

  /** A health probe. Parsed only; not run yet. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Probe(
      String name, int initialDelaySeconds, int timeoutSeconds, int successThreshold,
      int failureThreshold, HttpGet httpGet) {
  }

  /** The probe's HTTP GET. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HttpGet(String url, boolean insecure, String clientCert, String clientKey, String caCert) {
  }
}
