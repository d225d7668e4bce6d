package io.vigia.collector.cli;

import io.vigia.codec.config.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --url} option every client command shares, and the one place that turns client
 * failures into a line on stderr and an exit code.
 */
final class CollectorUrl {

  /** What a command does once it has a client. */
  interface Action {
    void run(CollectorClient client) throws Exception;
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:VIGIA_URL:-http://127.0.0.1:7071}",
      description = "The collector's HTTP address (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      defaultValue = "${env:VIGIA_HTTP_TOKEN_FILE}",
      description =
          "The bearer token of a collector started with --http-token-file, one line in this file"
              + " (default: VIGIA_HTTP_TOKEN_FILE, else none).")
  Path tokenFile;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** {@code url} as a collector's base URI, or null once a line on {@code err} said why not. */
  static URI parse(String url, PrintWriter err) {
    try {
      URI base = new URI(url);
      if (base.getScheme() == null
          || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
          || base.getHost() == null) {
        throw new URISyntaxException(url, "expected http://HOST:PORT");
      }
      return base;
    } catch (URISyntaxException e) {
      err.println(
          "vigia: --url '" + url + "' is not an http:// URL; write it like http://127.0.0.1:7071");
      return null;
    }
  }

  /** Runs {@code action}; 0 on success, 1 for an API error, 2 if unreachable or bad usage. */
  int run(Action action) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    URI base = parse(url, err);
    if (base == null) {
      return 2;
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
    try {
      action.run(new CollectorClient(base, token));
      return 0;
    } catch (CollectorClient.UnreachableException e) {
      err.println("vigia: " + e.getMessage());
      return 2;
    } catch (CollectorClient.ApiException e) {
      err.println("vigia: " + e.getMessage());
      return 1;
    }
  }
}
