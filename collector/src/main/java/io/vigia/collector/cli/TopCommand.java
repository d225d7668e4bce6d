package io.vigia.collector.cli;

import io.vigia.proto.ApiStreamEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigia top}: the fleet live, full screen, like top(1); or, where the output is not a
 * terminal, one plain line per host and then per sample as they come.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every host live: state, CPU (with a bar and a strip of one cell per core), memory,"
          + " load and network, updated as samples arrive.",
      "Keys: c, m, n sort by CPU, memory or name; / filters; the arrows select; Enter opens a"
          + " host (a bar per core and its recent history); Esc goes back; q quits.",
      "When the output is not a terminal (a pipe, a file), prints one line per host and then"
          + " one per sample or state change as they come."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:quit",
      "1:the collector answered with an error",
      "2:bad usage, or the collector cannot be reached"
    })
final class TopCommand implements Callable<Integer> {

  /** How long the screen waits for a key before applying what the stream brought, in ms. */
  private static final long TICK_MILLIS = 40;

  /** Events waiting for the screen; past this, the screen reloads the hosts instead. */
  private static final int INBOX = 10_000;

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Mixin CollectorUrl url;

  @Option(names = "--plain", description = "Print plain lines even on a terminal, as for a pipe.")
  boolean plain;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          TopModel model = new TopModel();
          model.load(client.agents().getAgentsList());
          if (plain || System.console() == null) {
            plain(client, model, url.out());
            return;
          }
          try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            if (Terminal.TYPE_DUMB.equals(terminal.getType())
                || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
              plain(client, model, url.out());
              return;
            }
            new FullScreen(client, model, terminal).run();
          }
        });
  }

  /** One line per host, then one per event, until the output is closed. */
  private static void plain(CollectorClient client, TopModel model, PrintWriter out)
      throws InterruptedException {
    for (TopModel.Row row : model.rows(TopModel.Sort.NAME, "")) {
      out.println(line(Instant.now(), row, row.agent.getState().name()));
    }
    out.flush();
    BlockingQueue<ApiStreamEvent> events = new LinkedBlockingQueue<>(INBOX);
    try (LiveStream stream =
        new LiveStream(
                client,
                new LiveStream.Listener() {
                  @Override
                  public void event(ApiStreamEvent event) {
                    events.offer(event);
                  }

                  @Override
                  public void link(boolean up, String why) {
                    if (!up) {
                      events.offer(
                          ApiStreamEvent.newBuilder().setType("down").setMessage(why).build());
                    }
                  }
                })
            .start()) {
      // picocli's writer may sit on System.out, a PrintStream that keeps its own error flag:
      // a closed pipe (vigia top | head) shows there.
      while (!out.checkError() && !System.out.checkError()) {
        ApiStreamEvent event = events.take();
        if (event.getType().equals("down")) {
          out.println("# " + event.getMessage() + "; retrying");
        } else if (model.apply(event)) {
          TopModel.Row row = model.row(event.getHost());
          out.println(
              line(
                  Instant.now(),
                  row,
                  event.getType().equals("state") ? row.agent.getState().name() : "sample"));
        }
        out.flush();
      }
    }
  }

  private static String line(Instant now, TopModel.Row row, String what) {
    return String.format(
        Locale.ROOT,
        "%s %s %s cpu=%s mem=%s load=%s",
        CLOCK.format(now),
        row.id(),
        what,
        TopScreen.percent(row.cpuPercent()),
        TopScreen.percent(row.memoryPercent()),
        Double.isNaN(row.load1()) ? "-" : String.format(Locale.ROOT, "%.2f", row.load1()));
  }

  private enum Key {
    QUIT,
    SORT_CPU,
    SORT_MEMORY,
    SORT_NAME,
    FILTER,
    UP,
    DOWN,
    OPEN,
    BACK,
    CHAR,
    ERASE,
    NONE
  }

  /** The full-screen view on a real terminal: raw mode, alternate screen, redrawn on change. */
  private static final class FullScreen {
    private final CollectorClient client;
    private final TopModel model;
    private final Terminal terminal;
    private final TopScreen.View view = new TopScreen.View();
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>(INBOX);
    private volatile boolean resized = true;
    private volatile boolean quit;
    private volatile boolean overflow;

    FullScreen(CollectorClient client, TopModel model, Terminal terminal) {
      this.client = client;
      this.model = model;
      this.terminal = terminal;
    }

    void run() throws Exception {
      Attributes saved = terminal.enterRawMode();
      terminal.handle(Terminal.Signal.WINCH, signal -> resized = true);
      terminal.handle(Terminal.Signal.INT, signal -> quit = true);
      terminal.puts(Capability.enter_ca_mode);
      terminal.puts(Capability.keypad_xmit);
      terminal.puts(Capability.cursor_invisible);
      terminal.flush();
      Display display = new Display(terminal, true);
      try (LiveStream stream = new LiveStream(client, listener()).start()) {
        loop(display);
      } finally {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        terminal.setAttributes(saved);
      }
    }

    private LiveStream.Listener listener() {
      return new LiveStream.Listener() {
        @Override
        public void event(ApiStreamEvent event) {
          post(() -> model.apply(event));
        }

        @Override
        public void link(boolean up, String why) {
          post(
              () -> {
                view.live = up;
                view.linkWhy = up ? "" : why + "; retrying";
              });
        }
      };
    }

    private void post(Runnable change) {
      if (!inbox.offer(change)) {
        overflow = true;
      }
    }

    private void loop(Display display) throws Exception {
      NonBlockingReader input = terminal.reader();
      BindingReader keys = new BindingReader(input);
      KeyMap<Key> normal = normalKeys();
      KeyMap<Key> typing = typingKeys();
      String opened = null;
      long lastPaint = 0;
      boolean dirty = true;
      while (!quit) {
        int next = keys.peekCharacter(TICK_MILLIS);
        if (next == NonBlockingReader.EOF) {
          return;
        }
        if (next != NonBlockingReader.READ_EXPIRED) {
          Key key = keys.readBinding(view.draft != null ? typing : normal);
          handle(key == null ? Key.NONE : key, keys.getLastBinding());
          dirty = true;
        }
        Runnable change;
        while ((change = inbox.poll()) != null) {
          change.run();
          dirty = true;
        }
        if (overflow || model.reloadNeeded()) {
          overflow = false;
          model.load(client.agents().getAgentsList());
          dirty = true;
        }
        if (view.open != null && !view.open.equals(opened)) {
          model.backfill(view.open, client.history(view.open, TopModel.HISTORY).getSamplesList());
          dirty = true;
        }
        opened = view.open;
        if (resized) {
          resized = false;
          Size size = terminal.getSize();
          display.clear();
          display.resize(size.getRows(), size.getColumns());
          dirty = true;
        }
        long now = System.currentTimeMillis();
        // Ages ("last seen") move even when nothing arrives.
        if (dirty || now - lastPaint >= 1000) {
          Size size = terminal.getSize();
          display.update(
              TopScreen.render(
                  model, view, size.getColumns(), size.getRows(), Instant.ofEpochMilli(now)),
              -1);
          terminal.flush();
          lastPaint = now;
          dirty = false;
        }
      }
    }

    private void handle(Key key, String typed) {
      switch (key) {
        case QUIT -> quit = true;
        case SORT_CPU -> view.sort = TopModel.Sort.CPU;
        case SORT_MEMORY -> view.sort = TopModel.Sort.MEMORY;
        case SORT_NAME -> view.sort = TopModel.Sort.NAME;
        case FILTER -> view.draft = view.filter;
        case UP -> view.selected = Math.max(0, view.selected - 1);
        case DOWN -> view.selected++;
        case OPEN -> {
          if (view.draft != null) {
            view.filter = view.draft;
            view.draft = null;
            view.selected = 0;
          } else if (view.open == null) {
            List<TopModel.Row> rows = model.rows(view.sort, view.filter);
            if (!rows.isEmpty()) {
              view.open = rows.get(Math.min(view.selected, rows.size() - 1)).id();
            }
          }
        }
        case BACK -> {
          if (view.draft != null) {
            view.draft = null;
          } else {
            view.open = null;
          }
        }
        case CHAR -> {
          if (view.draft != null && typed != null && typed.codePoints().allMatch(c -> c >= ' ')) {
            view.draft += typed;
          }
        }
        case ERASE -> {
          if (view.draft != null && !view.draft.isEmpty()) {
            view.draft = view.draft.substring(0, view.draft.length() - 1);
          } else if (view.draft == null) {
            view.open = null;
          }
        }
        case NONE -> {
          // A key with no meaning here.
        }
      }
    }

    private KeyMap<Key> normalKeys() {
      KeyMap<Key> map = new KeyMap<>();
      map.bind(Key.QUIT, "q", "Q");
      map.bind(Key.SORT_CPU, "c", "C", "P");
      map.bind(Key.SORT_MEMORY, "m", "M");
      map.bind(Key.SORT_NAME, "n", "N");
      map.bind(Key.FILTER, "/");
      map.bind(Key.UP, KeyMap.key(terminal, Capability.key_up), "k", "\033[A", "\033OA");
      map.bind(Key.DOWN, KeyMap.key(terminal, Capability.key_down), "j", "\033[B", "\033OB");
      map.bind(Key.OPEN, "\r", "\n");
      map.bind(Key.BACK, KeyMap.esc());
      map.bind(Key.ERASE, KeyMap.del(), KeyMap.ctrl('H'));
      map.setUnicode(Key.NONE);
      map.setNomatch(Key.NONE);
      map.setAmbiguousTimeout(100);
      return map;
    }

    private static KeyMap<Key> typingKeys() {
      KeyMap<Key> map = new KeyMap<>();
      for (char c = ' '; c < 127; c++) {
        map.bind(Key.CHAR, String.valueOf(c));
      }
      map.bind(Key.OPEN, "\r", "\n");
      map.bind(Key.BACK, KeyMap.esc());
      map.bind(Key.ERASE, KeyMap.del(), KeyMap.ctrl('H'));
      map.setUnicode(Key.CHAR);
      map.setNomatch(Key.NONE);
      map.setAmbiguousTimeout(100);
      return map;
    }
  }
}
