package io.vigia.collector.cli;

import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiPin;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigia pins}: the agent identities the collector has pinned; {@code vigia pins reset ID}
 * and {@code vigia pins revoke ID} change one.
 */
@Command(
    name = "pins",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the agent ids the collector has pinned: how each proves itself (a credential the"
          + " collector issued at its first connection, or a client certificate), whether it is"
          + " enrolled or revoked, when it enrolled and when it was last seen.",
      "'vigia pins reset ID' lets a rebuilt machine enroll again; 'vigia pins revoke ID' refuses"
          + " the id from now on and closes its link."
    },
    subcommands = {PinsCommand.Reset.class, PinsCommand.Revoke.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the collector answered with an error (no such pin)",
      "2:bad usage, or the collector cannot be reached"
    })
final class PinsCommand implements Callable<Integer> {

  @Mixin CollectorUrl url;

  @Option(
      names = "--json",
      description =
          "Print a JSON array of pins (id, hostname, kind, state, enrolledAt, lastSeen,"
              + " connected) instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          var pins = client.pins();
          PrintWriter out = url.out();
          if (json) {
            JsonFormat.Printer printer = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
            StringJoiner array = new StringJoiner(",\n", "[\n", "\n]\n");
            array.setEmptyValue("[]\n");
            for (ApiPin pin : pins.getPinsList()) {
              array.add(printer.print(pin));
            }
            out.print(array);
          } else {
            out.print(PinsTable.render(pins.getPinsList(), Instant.now()));
          }
          out.flush();
        });
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Forgets the pin of agent ID, so that its next connection enrolls it again: for a"
              + " machine rebuilt without its agent's state directory. A link open now stays"
              + " open.")
  static final class Reset extends Change {
    @Override
    String action() {
      return "reset";
    }

    @Override
    String done() {
      return "Pin of agent " + id + " reset: its next connection enrolls it.";
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Refuses agent ID from now on, whatever it presents, and closes its link if one is"
              + " open; 'vigia pins reset ID' lets it enroll again.")
  static final class Revoke extends Change {
    @Override
    String action() {
      return "revoke";
    }

    @Override
    String done() {
      return "Agent " + id + " revoked: refused from now on.";
    }
  }

  /** A change of one pin: the POST, then one line saying what was done. */
  abstract static class Change implements Callable<Integer> {
    @Mixin CollectorUrl url;

    @Parameters(paramLabel = "ID", description = "The agent id.")
    String id;

    abstract String action();

    abstract String done();

    @Override
    public Integer call() throws Exception {
      return url.run(
          client -> {
            client.changePin(id, action());
            url.out().println(done());
            url.out().flush();
          });
    }
  }
}
