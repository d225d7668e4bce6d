package io.vigia.agent.sampling;

import java.util.List;

/** Reads the traffic counters of every network interface, loopback included. */
public interface InterfaceSource {

  List<InterfaceReading> interfaces();
}
