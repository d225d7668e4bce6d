package io.vigia.collector.cli;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigia alerts}: what fires, what is pending, what resolved lately. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the collector's alerts: firing, pending (waiting for their rule's 'for'), and"
          + " resolved in the last 15 minutes. Exits 1 if any fires, so a script can ask."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed, none firing",
      "1:at least one alert fires, or the collector answered with an error",
      "2:bad usage, or the collector cannot be reached"
    })
final class AlertsCommand implements Callable<Integer> {

  @Mixin CollectorUrl url;

  @Option(names = "--json", description = "Print the JSON of GET /api/v1/alerts instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    boolean[] firing = {false};
    int code =
        url.run(
            client -> {
              var alerts = client.alerts();
              firing[0] = alerts.getFiring() > 0;
              PrintWriter out = url.out();
              out.print(
                  json
                      ? JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(alerts) + "\n"
                      : AlertsTable.render(alerts, Instant.now()));
              out.flush();
            });
    return code == 0 && firing[0] ? 1 : code;
  }
}
