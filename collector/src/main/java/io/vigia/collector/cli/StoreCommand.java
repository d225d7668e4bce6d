package io.vigia.collector.cli;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigia store}: where the collector keeps what it acknowledged, and how that goes. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the collector's data directory: whether it can write, the size of its log and its"
          + " oldest sample, fsync times, what its last start read back and what it dropped."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:shown",
      "1:the collector answered with an error",
      "2:bad usage, or the collector cannot be reached"
    })
final class StoreCommand implements Callable<Integer> {

  @Mixin CollectorUrl url;

  @Option(names = "--json", description = "Print the JSON of GET /api/v1/store instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          var store = client.store();
          PrintWriter out = url.out();
          out.print(
              json
                  ? JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(store) + "\n"
                  : StoreReport.render(store, Instant.now()));
          out.flush();
        });
  }
}
