package io.elemental.conformance.node.cloudconfig;

/** What a stage acts on: its file system, the shell its scripts run in, and chown. */
public record Target(SystemRoot root, Shell shell, Ownership ownership) {
  /** The real shell and chown for {@code root}. */
  public static Target of(SystemRoot root) {
    return new Target(root, Shell.forRoot(root), Ownership.POSIX);
  }
}
