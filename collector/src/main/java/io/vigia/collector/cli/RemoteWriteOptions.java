package io.vigia.collector.cli;

import io.vigia.collector.CollectorConfigBuilder;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The collector's Prometheus remote-write options, and the credential and CA files they name; a
 * mixin of {@link CollectorCommand}, placed where these options appear in its help.
 */
final class RemoteWriteOptions {

  @Option(
      names = "--remote-write",
      paramLabel = "URL",
      split = ",",
      description =
          "Push every stored sample to this Prometheus remote-write receiver, for example"
              + " http://prometheus:9090/api/v1/write (Prometheus started with"
              + " --web.enable-remote-write-receiver), Mimir, Thanos or VictoriaMetrics. Repeat it,"
              + " or separate URLs with commas, for several; each gets its own queue. None by"
              + " default.")
  List<URI> remoteWrite;

  @Option(
      names = "--remote-write-bearer-token-file",
      paramLabel = "FILE",
      description =
          "Send the token in FILE as 'Authorization: Bearer' to every remote-write receiver.")
  Path remoteWriteBearerTokenFile;

  @Option(
      names = "--remote-write-basic-auth-file",
      paramLabel = "FILE",
      description =
          "Use basic authentication with every remote-write receiver; FILE holds one line"
              + " user:password.")
  Path remoteWriteBasicAuthFile;

  @Option(
      names = "--remote-write-ca-file",
      paramLabel = "FILE",
      description =
          "Trust only the CA certificates in this PEM file for https:// remote-write receivers (a"
              + " private CA). Unset: the system's CAs.")
  Path remoteWriteCaFile;

  @Option(
      names = "--remote-write-queue",
      paramLabel = "SAMPLES",
      defaultValue = "" + RemoteWriteSettings.DEFAULT_QUEUE,
      description =
          "Samples queued per receiver while it is slow or down; when full the oldest are dropped"
              + " and counted (default: ${DEFAULT-VALUE}).")
  int remoteWriteQueue;

  @Option(
      names = "--remote-write-batch",
      paramLabel = "SAMPLES",
      defaultValue = "" + RemoteWriteSettings.DEFAULT_BATCH,
      description = "Samples in one remote-write request at most (default: ${DEFAULT-VALUE}).")
  int remoteWriteBatch;

  /** The values as they are: the files are read by {@link #readFiles}. */
  CollectorConfigBuilder applyTo(CollectorConfigBuilder settings) {
    return settings
        .remoteWrite(remoteWrite != null ? remoteWrite : List.of())
        .remoteWriteCaFile(remoteWriteCaFile)
        .remoteWriteQueue(remoteWriteQueue)
        .remoteWriteBatch(remoteWriteBatch);
  }

  /**
   * Reads the credentials into {@code settings} and checks the CA file.
   *
   * @throws ParameterException naming the option whose file cannot be used
   */
  void readFiles(CollectorConfigBuilder settings, CommandLine cli) {
    settings.remoteWriteAuth(auth(cli));
    if (remoteWriteCaFile != null) {
      try {
        RemoteWriteSettings.checkCaFile(remoteWriteCaFile);
      } catch (IOException e) {
        throw new ParameterException(cli, "--remote-write-ca-file: " + e.getMessage());
      }
    }
  }

  private RemoteWriteSettings.Auth auth(CommandLine cli) {
    try {
      return RemoteWriteSettings.Auth.fromFiles(
          remoteWriteBearerTokenFile, remoteWriteBasicAuthFile);
    } catch (IOException e) {
      throw new ParameterException(
          cli,
          "--remote-write-bearer-token-file/--remote-write-basic-auth-file: cannot read "
              + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage());
    }
  }
}
