package io.vigia.it;

import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiHistory;
import io.vigia.proto.ApiSample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Reads the collector's JSON API the way any HTTP client would. */
final class ApiClient {

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  ApiClient(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  ApiAgent agent(String id) throws Exception {
    HttpResponse<String> response = get("/api/v1/agents/" + id);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET agent " + id + ": HTTP " + response.statusCode());
    }
    ApiAgent.Builder agent = ApiAgent.newBuilder();
    JsonFormat.parser().merge(response.body(), agent);
    return agent.build();
  }

  List<ApiSample> history(String id) throws Exception {
    HttpResponse<String> response = get("/api/v1/agents/" + id + "/history");
    ApiHistory.Builder history = ApiHistory.newBuilder();
    JsonFormat.parser().merge(response.body(), history);
    return history.getSamplesList();
  }

  List<Long> seqs(String id) throws Exception {
    return history(id).stream().map(ApiSample::getSeq).toList();
  }
}
