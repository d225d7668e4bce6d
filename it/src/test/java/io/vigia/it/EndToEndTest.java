package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vigia.agent.Agent;
import io.vigia.collector.cli.VigiaCommand;
import io.vigia.proto.HostState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A collector and agents over real loopback sockets, checked through the API and the CLI. */
class EndToEndTest {

  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private Fleet fleet;
  private ApiClient api;

  @BeforeEach
  void startCollector() {
    fleet = Fleet.withCollector();
    api = new ApiClient(fleet.apiUrl());
  }

  @AfterEach
  void stopAll() {
    fleet.close();
  }

  @Test
  void agentsCommandListsThreeAgentsWithTheirCoreCounts() throws Exception {
    Map<String, Integer> cores = Map.of("alpha", 2, "bravo", 4, "charlie", 8);
    Map<String, Integer> busy = Map.of("alpha", 100, "bravo", 250, "charlie", 875);
    for (String id : cores.keySet()) {
      Fleet.sample(fleet.agent(id, cores.get(id), busy.get(id)), 3);
    }
    await().atMost(PATIENCE).until(() -> cores.keySet().stream().allMatch(this::hasThreeSamples));

    Result json = vigia("agents", "--json", "--url", fleet.apiUrl());

    assertThat(json.exitCode).isZero();
    JsonArray agents = JsonParser.parseString(json.out).getAsJsonArray();
    Map<String, JsonObject> byId = new HashMap<>();
    for (JsonElement element : agents) {
      byId.put(element.getAsJsonObject().get("id").getAsString(), element.getAsJsonObject());
    }
    assertThat(byId).containsOnlyKeys("alpha", "bravo", "charlie");
    for (String id : cores.keySet()) {
      JsonObject agent = byId.get(id);
      assertThat(agent.keySet())
          .contains("hostname", "address", "state", "cores", "cpuPercent", "lastSeen", "samples");
      assertThat(agent.get("cores").getAsInt()).isEqualTo(cores.get(id));
      assertThat(agent.get("state").getAsString()).isEqualTo("CONNECTED");
      assertThat(agent.get("cpuPercent").getAsDouble()).isEqualTo(busy.get(id) / 10.0);
      assertThat(agent.get("samples").getAsInt()).isEqualTo(3);
      assertThat(agent.get("address").getAsString()).startsWith("127.0.0.1:");
      assertThat(agent.get("lastSeen").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    Result table = vigia("agents", "--url", fleet.apiUrl());
    assertThat(table.exitCode).isZero();
    assertThat(table.out.lines())
        .anySatisfy(
            line -> assertThat(line).contains("charlie").contains("CONNECTED").contains("87.5%"));
  }

  @Test
  void everyHistoryHoldsExactlySequencesOneToNInOrder() throws Exception {
    List<Agent> agents =
        List.of(fleet.agent("a", 2, 10), fleet.agent("b", 3, 20), fleet.agent("c", 4, 30));
    int n = 40;
    for (Agent agent : agents) {
      Fleet.sample(agent, n);
    }
    List<Long> expected = LongStream.rangeClosed(1, n).boxed().toList();
    for (Agent agent : agents) {
      String id = agent.identity().id();
      await().atMost(PATIENCE).until(() -> api.seqs(id).size() == n);
      assertThat(api.seqs(id)).isEqualTo(expected);
      assertThat(api.history(id).get(0).getCorePercentList()).hasSize(agent.identity().cores());
    }
  }

  @Test
  void anAgentThatStopsIsLeftAndKeepsItsHistory() throws Exception {
    Agent leaving = fleet.agent("leaving", 2, 100);
    Agent staying = fleet.agent("staying", 2, 200);
    Fleet.sample(leaving, 5);
    Fleet.sample(staying, 5);
    await().atMost(PATIENCE).until(() -> api.seqs("leaving").size() == 5);

    leaving.close();

    await().atMost(PATIENCE).until(() -> api.agent("leaving").getState() == HostState.LEFT);
    assertThat(api.seqs("leaving")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(api.agent("leaving").getSamples()).isEqualTo(5);
    assertThat(api.agent("staying").getState()).isEqualTo(HostState.CONNECTED);
    assertThat(fleet.collector().registry().connectedCount()).isEqualTo(1);
  }

  @Test
  void aLinkThatDropsWithoutGoodbyeIsLost() throws Exception {
    try (RawAgent raw = new RawAgent(fleet.collector().ingestAddress())) {
      raw.writeAtOnce(RawAgent.wire(RawAgent.hello("crashy", 2, 7), RawAgent.snapshot(1, 2)));
      assertThat(raw.read().hasWelcome()).isTrue();
      raw.awaitAck(1);
    }
    await().atMost(PATIENCE).until(() -> api.agent("crashy").getState() == HostState.LOST);
    assertThat(api.seqs("crashy")).containsExactly(1L);
  }

  @Test
  void anAgentStartedBeforeItsCollectorDeliversWhatItSampledMeanwhile() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Agent early = fleet.agent("early", 2, 300, port);
    Fleet.sample(early, 3);

    try (var late = Fleet.startCollector(port)) {
      ApiClient lateApi = new ApiClient("http://127.0.0.1:" + late.httpAddress().getPort());
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  lateApi.get("/api/v1/agents/early").statusCode() == 200
                      && lateApi.seqs("early").size() == 3);
      assertThat(lateApi.seqs("early")).containsExactly(1L, 2L, 3L);
      early.close();
    }
  }

  @Test
  void anAgentWhoseCollectorRestartsReconnectsAndSendsWhatItSampledMeanwhile() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    var first = Fleet.startCollector(port);
    ApiClient firstApi = new ApiClient("http://127.0.0.1:" + first.httpAddress().getPort());
    Agent agent = fleet.agent("phoenix", 2, 500, port);
    Fleet.sample(agent, 2);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                firstApi.get("/api/v1/agents/phoenix").statusCode() == 200
                    && firstApi.seqs("phoenix").size() == 2);
    first.close();

    Fleet.sample(agent, 2); // while no collector listens

    try (var second = Fleet.startCollector(port)) {
      ApiClient secondApi = new ApiClient("http://127.0.0.1:" + second.httpAddress().getPort());
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  secondApi.get("/api/v1/agents/phoenix").statusCode() == 200
                      && secondApi.seqs("phoenix").contains(4L));
      List<Long> seqs = secondApi.seqs("phoenix");
      // 1 and 2 went to the first collector; only an unacknowledged one may come again.
      assertThat(seqs).endsWith(3L, 4L).doesNotHaveDuplicates().isSorted();
      assertThat(secondApi.agent("phoenix").getState()).isEqualTo(HostState.CONNECTED);
    }
  }

  private boolean hasThreeSamples(String id) {
    try {
      return api.agent(id).getSamples() == 3;
    } catch (Exception | AssertionError notYet) {
      return false;
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result vigia(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigiaCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
