package io.vigia.collector.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import io.vigia.codec.config.TokenFile;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigia agents}: every host the collector knows, as a table or as JSON; with several {@code
 * --url}, the hosts of every collector of a sharded fleet in one list, each row naming its
 * collector.
 */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every host the collector knows: id, hostname, address, state (CONNECTED, LOST or"
          + " LEFT), cores, CPU use of the latest sample, and when it was last heard from.",
      "Give --url several times to list the hosts of several collectors in one table, with the"
          + " collector of each row."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed",
      "1:a collector answered with an error",
      "2:bad usage, or a collector cannot be reached (the others are still listed)"
    })
final class AgentsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:VIGIA_URL:-http://127.0.0.1:7071}",
      description =
          "The collector's HTTP address (default: ${DEFAULT-VALUE}). Repeat it for several"
              + " collectors.")
  List<String> urls;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      defaultValue = "${env:VIGIA_HTTP_TOKEN_FILE}",
      description =
          "The bearer token of collectors started with --http-token-file, one line in this file"
              + " (default: VIGIA_HTTP_TOKEN_FILE, else none).")
  Path tokenFile;

  @Option(
      names = "--json",
      description =
          "Print a JSON array of agents (id, hostname, address, state, cores, cpuPercent,"
              + " lastSeen, samples, ...; with several --url also collector) instead of the"
              + " table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (urls.size() > 1) {
      return merged();
    }
    CollectorUrl url = new CollectorUrl();
    url.spec = spec;
    url.url = urls.get(0);
    url.tokenFile = tokenFile;
    return url.run(
        client -> {
          ApiAgentList agents = client.agents();
          PrintWriter out = url.out();
          out.print(
              json ? jsonArray(agents) : AgentsTable.render(agents.getAgentsList(), Instant.now()));
          out.flush();
        });
  }

  /** One agent as one collector reported it. */
  record Listed(String collector, ApiAgent agent) {}

  /** Every collector's list in one; a collector that fails is named on stderr, the rest shown. */
  private int merged() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<URI> bases = new ArrayList<>();
    for (String url : urls) {
      URI base = CollectorUrl.parse(url, err);
      if (base == null) {
        return 2;
      }
      bases.add(base);
    }
    String token = "";
    if (tokenFile != null) {
      try {
        token = TokenFile.read(tokenFile);
      } catch (IOException e) {
        err.println("vigia: --http-token-file: " + e.getMessage());
        return 2;
      }
    }
    List<Listed> listed = new ArrayList<>();
    int exitCode = 0;
    for (int i = 0; i < bases.size(); i++) {
      try {
        for (ApiAgent agent : new CollectorClient(bases.get(i), token).agents().getAgentsList()) {
          listed.add(new Listed(urls.get(i), agent));
        }
      } catch (CollectorClient.UnreachableException e) {
        err.println("vigia: " + e.getMessage());
        exitCode = 2;
      } catch (CollectorClient.ApiException e) {
        err.println("vigia: " + urls.get(i) + ": " + e.getMessage());
        exitCode = Math.max(exitCode, 1);
      }
    }
    // Stable: an agent that failed over shows once per collector, in the order they were given.
    listed.sort(Comparator.comparing(l -> l.agent().getId()));
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? jsonArray(listed) : AgentsTable.renderMerged(listed, Instant.now()));
    out.flush();
    err.flush();
    return exitCode;
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

  /** As {@link #jsonArray(ApiAgentList)}, each object starting with its {@code collector}. */
  static String jsonArray(List<Listed> listed) throws InvalidProtocolBufferException {
    JsonFormat.Printer printer = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    StringJoiner array = new StringJoiner(",\n", "[\n", "\n]\n");
    array.setEmptyValue("[]\n");
    for (Listed one : listed) {
      String agent = printer.print(one.agent());
      // The printer opens every object with "{\n"; the collector goes first, escaped as JSON.
      array.add(
          "{\n  \"collector\": "
              + printer.print(StringValue.of(one.collector()))
              + (agent.startsWith("{\n}") ? "\n" : ",\n")
              + agent.substring(2));
    }
    return array.toString();
  }
}
