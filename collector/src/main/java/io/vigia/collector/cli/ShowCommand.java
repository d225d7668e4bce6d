package io.vigia.collector.cli;

import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiAgent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigia show HOST}: the latest figures of every metric family of one host. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Shows one host's latest sample: CPU, load, memory and swap, file systems, disk I/O and"
          + " network traffic, with units a person can read."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:shown",
      "1:the collector answered with an error (such as an unknown host)",
      "2:bad usage, or the collector cannot be reached"
    })
final class ShowCommand implements Callable<Integer> {

  @Mixin CollectorUrl url;

  @Parameters(paramLabel = "HOST", description = "The agent id, as 'vigia agents' lists it.")
  String host;

  @Option(names = "--json", description = "Print the agent's JSON object instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          ApiAgent agent = client.agent(host);
          PrintWriter out = url.out();
          out.print(
              json
                  ? JsonFormat.printer().print(agent) + "\n"
                  : HostReport.render(agent, Instant.now()));
          out.flush();
        });
  }
}
