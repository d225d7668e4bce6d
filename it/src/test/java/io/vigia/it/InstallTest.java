package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator uses it: unpacked, {@code install.sh} into a scratch
 * root, the installed collector and agent started from there, {@code uninstall.sh}; and the systemd
 * units through {@code systemd-analyze verify}.
 */
class InstallTest {

  private static final Path ARCHIVE = Path.of(System.getProperty("vigia.dist", "missing"));
  private static final String VERSION = System.getProperty("vigia.version", "missing");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Path dist;
  private Path root;
  private final List<Process> processes = new ArrayList<>();

  private record Run(int exit, String output) {}

  @BeforeEach
  void unpack() throws Exception {
    assertThat(ARCHIVE).as("the archive mvn package builds").isRegularFile();
    Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
    assertThat(run(List.of("tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString())).exit)
        .isZero();
    dist = unpacked.resolve("vigia-" + VERSION);
    root = tmp.resolve("root");
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile(tmp, "run", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Run(process.exitValue(), Files.readString(output));
  }

  private Run script(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", dist.resolve(name).toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  @Test
  void theArchiveHoldsBinLibConfAndSystemd() {
    assertThat(dist.resolve("bin/vigia-agent")).isExecutable();
    assertThat(dist.resolve("bin/vigia-collector")).isExecutable();
    assertThat(dist.resolve("bin/vigia")).isExecutable();
    assertThat(dist.resolve("lib/vigia-agent.jar")).isRegularFile();
    assertThat(dist.resolve("lib/vigia-collector.jar")).isRegularFile();
    assertThat(dist.resolve("conf/agent.conf")).isRegularFile();
    assertThat(dist.resolve("conf/collector.conf")).isRegularFile();
    assertThat(dist.resolve("systemd/vigia-agent.service")).isRegularFile();
    assertThat(dist.resolve("systemd/vigia-collector.service")).isRegularFile();
    assertThat(dist.resolve("install.sh")).isExecutable();
    assertThat(dist.resolve("uninstall.sh")).isExecutable();
  }

  @Test
  void installingTheCollectorTwiceKeepsTheOperatorsConfiguration() throws Exception {
    Run first = script("install.sh", "--collector", "--root", root.toString());

    assertThat(first.exit).as(first.output).isZero();
    assertThat(first.output)
        .contains("wrote a commented configuration to " + root + "/etc/vigia/collector.conf")
        .contains("not creating the user 'vigia' in the scratch root")
        .contains("enabled vigia-collector.service in " + root);
    assertThat(root.resolve("opt/vigia/bin/vigia-collector")).isExecutable();
    assertThat(root.resolve("opt/vigia/bin/vigia")).isExecutable();
    assertThat(root.resolve("opt/vigia/lib/vigia-collector.jar")).isRegularFile();
    assertThat(root.resolve("opt/vigia/lib/vigia-agent.jar")).doesNotExist();
    assertThat(root.resolve("etc/vigia/collector.conf"))
        .hasSameTextualContentAs(dist.resolve("conf/collector.conf"));
    Path unit = root.resolve("etc/systemd/system/vigia-collector.service");
    assertThat(Files.readString(unit))
        .contains("ExecStart=/opt/vigia/bin/vigia-collector --config /etc/vigia/collector.conf");
    Path wants = root.resolve("etc/systemd/system/multi-user.target.wants/vigia-collector.service");
    assertThat(Files.readSymbolicLink(wants))
        .isEqualTo(Path.of("/etc/systemd/system/vigia-collector.service"));

    Files.writeString(root.resolve("etc/vigia/collector.conf"), "history=60\n");
    Run second = script("install.sh", "--collector", "--root", root.toString());

    assertThat(second.exit).as(second.output).isZero();
    assertThat(second.output)
        .contains("kept the configuration in " + root + "/etc/vigia/collector.conf");
    assertThat(root.resolve("etc/vigia/collector.conf")).hasContent("history=60");
  }

  @Test
  void aPrefixIsWrittenIntoTheUnit() throws Exception {
    Run install =
        script("install.sh", "--agent", "--prefix", "/usr/local/vigia", "--root", root.toString());

    assertThat(install.exit).as(install.output).isZero();
    assertThat(root.resolve("usr/local/vigia/bin/vigia-agent")).isExecutable();
    assertThat(Files.readString(root.resolve("etc/systemd/system/vigia-agent.service")))
        .contains("ExecStart=/usr/local/vigia/bin/vigia-agent --config /etc/vigia/agent.conf")
        .doesNotContain("/opt/vigia");
  }

  @Test
  void badArgumentsAreRefusedWithAMessage() throws Exception {
    Run none = script("install.sh", "--root", root.toString());
    Run relative =
        script("install.sh", "--agent", "--prefix", "opt/vigia", "--root", root.toString());
    Run unknown = script("uninstall.sh", "--agent", "--bogus");

    assertThat(none.exit).isEqualTo(2);
    assertThat(none.output).contains("say what to install: --agent or --collector");
    assertThat(relative.exit).isEqualTo(2);
    assertThat(relative.output).contains("--prefix must be an absolute path, not 'opt/vigia'");
    assertThat(unknown.exit).isEqualTo(2);
    assertThat(unknown.output).contains("unknown argument '--bogus'");
    assertThat(root).doesNotExist();
  }

  @Test
  void uninstallRemovesTheProgramAndUnitAndKeepsTheConfigurationUnlessPurged() throws Exception {
    assertThat(script("install.sh", "--agent", "--root", root.toString()).exit).isZero();
    assertThat(script("install.sh", "--collector", "--root", root.toString()).exit).isZero();

    Run agentGone = script("uninstall.sh", "--agent", "--root", root.toString());

    assertThat(agentGone.exit).as(agentGone.output).isZero();
    assertThat(root.resolve("opt/vigia/bin/vigia-agent")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/vigia-agent.service")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/multi-user.target.wants/vigia-agent.service"))
        .doesNotExist();
    assertThat(root.resolve("etc/vigia/agent.conf")).isRegularFile();
    assertThat(root.resolve("opt/vigia/bin/vigia-collector")).isExecutable();

    Run collectorGone = script("uninstall.sh", "--collector", "--root", root.toString(), "--purge");
    Run again = script("uninstall.sh", "--collector", "--root", root.toString(), "--purge");

    assertThat(collectorGone.exit).as(collectorGone.output).isZero();
    assertThat(again.exit).as(again.output).isZero();
    assertThat(root.resolve("opt/vigia")).doesNotExist();
    assertThat(root.resolve("etc/vigia/collector.conf")).doesNotExist();
    assertThat(root.resolve("etc/vigia/agent.conf")).isRegularFile();
  }

  @Test
  void theInstalledCollectorAndAgentRunAndTheHostShowsInAgentsAndMetrics() throws Exception {
    assertThat(script("install.sh", "--collector", "--root", root.toString()).exit).isZero();
    assertThat(script("install.sh", "--agent", "--root", root.toString()).exit).isZero();
    Path bin = root.resolve("opt/vigia/bin");
    int agentPort = freePort();
    int httpPort = freePort();
    // The configuration file as an operator edits it; the agent gets its collector from the
    // environment, the way a drop-in would set it.
    Files.writeString(
        root.resolve("etc/vigia/collector.conf"),
        "listen=127.0.0.1:"
            + agentPort
            + "\nhttp=127.0.0.1:"
            + httpPort
            + "\ndata-dir="
            + root.resolve("var/lib/vigia-collector")
            + "\n",
        StandardCharsets.UTF_8);
    start(
        "collector",
        List.of(
            bin.resolve("vigia-collector").toString(),
            "--config",
            root.resolve("etc/vigia/collector.conf").toString()),
        "");
    start(
        "agent",
        List.of(
            bin.resolve("vigia-agent").toString(),
            "--config",
            root.resolve("etc/vigia/agent.conf").toString(),
            "--interval",
            "1s",
            "--id",
            "installed-agent",
            "--spool-dir",
            tmp.resolve("spool").toString(),
            "--credentials-file",
            tmp.resolve("credentials").toString()),
        "127.0.0.1:" + agentPort);
    String url = "http://127.0.0.1:" + httpPort;
    HttpClient http = HttpClient.newHttpClient();

    String metrics =
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                            HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body(),
                body ->
                    body.contains(
                        "vigia_host_cpu_utilisation_ratio{core=\"0\",host=\"installed-agent\"}"));
    assertThat(metrics).contains("vigia_host_up{host=\"installed-agent\"} 1.0");

    Run agents = run(List.of(bin.resolve("vigia").toString(), "agents", "--url", url));
    assertThat(agents.exit).as(agents.output).isZero();
    assertThat(agents.output).contains("installed-agent").contains("CONNECTED");
  }

  @Test
  void theInstalledUnitsPassSystemdAnalyzeVerify() throws Exception {
    Path analyze = ExternalTool.require("systemd-analyze", "systemd");
    assertThat(script("install.sh", "--agent", "--root", root.toString()).exit).isZero();
    assertThat(script("install.sh", "--collector", "--root", root.toString()).exit).isZero();

    for (String unit : List.of("vigia-agent.service", "vigia-collector.service")) {
      // verify checks that ExecStart exists on this machine, so the unit is checked as installed
      // with its prefix moved into the scratch root; nothing else changes.
      String installed = Files.readString(root.resolve("etc/systemd/system/" + unit));
      Path copy = Files.createDirectories(tmp.resolve("verify")).resolve(unit);
      Files.writeString(copy, installed.replace("/opt/vigia/", root + "/opt/vigia/"));

      Run verify = run(List.of(analyze.toString(), "verify", copy.toString()));

      assertThat(verify.output).as("systemd-analyze verify %s", unit).isEmpty();
      assertThat(verify.exit).isZero();
    }
  }

  @Test
  void theUnitsExposeAtMostTwoBySystemdAnalyzeSecurity() throws Exception {
    Path analyze = ExternalTool.require("systemd-analyze", "systemd");
    for (String unit : List.of("vigia-agent.service", "vigia-collector.service")) {
      Path file = Path.of("..", "scripts", "systemd", unit).toAbsolutePath().normalize();
      Run security =
          run(List.of(analyze.toString(), "security", "--offline=true", file.toString()));

      java.util.regex.Matcher overall =
          java.util.regex.Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)")
              .matcher(security.output);
      assertThat(overall.find()).as(security.output).isTrue();
      assertThat(Double.parseDouble(overall.group(1)))
          .as("exposure of %s:%n%s", unit, security.output)
          .isLessThanOrEqualTo(2.0);
    }
  }

  private void start(String name, List<String> command, String collector) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("VIGIA_"));
    if (!collector.isEmpty()) {
      builder.environment().put("VIGIA_COLLECTOR", collector);
    }
    processes.add(builder.start());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
