package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How a VM's answers over SSH are read; the commands themselves run in the @vm features. */
class GuestObservationTest {
  private final List<String> commands = new ArrayList<>();

  private GuestObservation answering(Map<String, String> answers) {
    return new GuestObservation(command -> {
      commands.add(command);
      return answers.entrySet().stream().filter(e -> command.contains(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElseThrow(() -> new AssertionError("unexpected command: " + command));
    });
  }

  @Test
  void theBootedEntryIsTheKernelsElementalImage() {
    assertThat(answering(Map.of("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz root=LABEL=COS_STATE"
        + " elemental.image=passive2 elemental.mode=passive console=ttyS0\n")).bootedEntry()).isEqualTo("passive2");
    assertThat(answering(Map.of("/proc/cmdline", "boot=live root=live:CDLABEL=COS_LIVE\n")).bootedEntry())
        .isEqualTo("live");
  }

  @Test
  void snapshotsAreTheNumberedDirectoriesAndActiveIsWhereTheLinkPoints() {
    GuestObservation vm = answering(Map.of("ls $d/.snapshots", "1\n3\nactive\n2\n",
        "readlink $d/.snapshots/active", "3/snapshot.img\n"));
    assertThat(vm.snapshotIds()).containsExactly(1, 2, 3);
    assertThat(vm.activeSnapshot()).isEqualTo(OptionalInt.of(3));
    assertThat(commands).allMatch(c -> c.contains("findmnt -fno TARGET -S LABEL=COS_STATE"));
  }

  @Test
  void aMissingFileIsEmptyAndAPresentOneKeepsItsText() {
    assertThat(answering(Map.of("/etc/motd", "absent\n")).file("/etc/motd")).isEmpty();
    assertThat(answering(Map.of("/etc/motd", "present\nhello\n\n")).file("/etc/motd")).hasValue("hello\n\n");
  }

  @Test
  void osReleaseFieldsAsTheShellSourcedThem() {
    assertThat(answering(Map.of("os-release", "ID=elemental\nVERSION_ID=v2\nNAME=Reference OS\n")).osRelease())
        .containsEntry("VERSION_ID", "v2").containsEntry("NAME", "Reference OS");
  }
}
