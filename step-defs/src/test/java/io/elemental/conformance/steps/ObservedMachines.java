package io.elemental.conformance.steps;

/** The scenario's machines as the spec observes them: a VM when one has the name, else a simulated machine. */
public class ObservedMachines {
  private final Machines machines;
  private final VirtualMachines vms;
  private final GuestCommands guest;

  public ObservedMachines(Machines machines, VirtualMachines vms, GuestCommands guest) {
    this.machines = machines;
    this.vms = vms;
    this.guest = guest;
  }

  ObservedMachine get(String name) {
    if (vms.has(name)) return new GuestObservation(command -> guest.run(name, command));
    return new SimulatedObservation(machines.get(name));
  }
}
