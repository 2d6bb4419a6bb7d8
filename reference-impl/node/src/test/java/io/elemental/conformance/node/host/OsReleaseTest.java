package io.elemental.conformance.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsReleaseTest {
  @Test
  void readsQuotedAndBareValuesAndSkipsComments() {
    assertThat(OsRelease.parse("# comment\nNAME=\"Elemental Reference OS\"\nID=elemental-reference\n"
        + "PRETTY_NAME='Elemental v1'\nbroken line\n\nIMAGE=\"a/b:\\\"v1\\\"\"\n"))
        .containsEntry("NAME", "Elemental Reference OS")
        .containsEntry("ID", "elemental-reference")
        .containsEntry("PRETTY_NAME", "Elemental v1")
        .containsEntry("IMAGE", "a/b:\"v1\"")
        .hasSize(4);
  }
}
