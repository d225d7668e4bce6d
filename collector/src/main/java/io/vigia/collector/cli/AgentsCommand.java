package io.vigia.collector.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigia agents}: every host the collector knows, as a table or as JSON. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every host the collector knows: id, hostname, address, state (CONNECTED, LOST or"
          + " LEFT), cores, CPU use of the latest sample, and when it was last heard from."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed",
      "1:the collector answered with an error",
      "2:bad usage, or the collector cannot be reached"
    })
final class AgentsCommand implements Callable<Integer> {

  @Mixin CollectorUrl url;

  @Option(
      names = "--json",
      description =
          "Print a JSON array of agents (id, hostname, address, state, cores, cpuPercent,"
              + " lastSeen, samples, ...) instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          ApiAgentList agents = client.agents();
          PrintWriter out = url.out();
          out.print(
              json ? jsonArray(agents) : AgentsTable.render(agents.getAgentsList(), Instant.now()));
          out.flush();
        });
  }

  static String jsonArray(ApiAgentList agents) throws InvalidProtocolBufferException {
    JsonFormat.Printer printer = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    StringJoiner array = new StringJoiner(",\n", "[\n", "\n]\n");
    array.setEmptyValue("[]\n");
    for (ApiAgent agent : agents.getAgentsList()) {
      array.add(printer.print(agent));
    }
    return array.toString();
  }
}
