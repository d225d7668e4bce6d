package io.vigia.collector.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import io.vigia.proto.ApiError;
import io.vigia.proto.ApiHistory;
import io.vigia.proto.ApiPin;
import io.vigia.proto.ApiPinList;
import io.vigia.proto.ApiStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads the collector's JSON API for the {@code vigia} commands. */
final class CollectorClient {

  /** The collector could not be reached at all; the message says what to try. */
  static final class UnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message) {
      super(message);
    }
  }

  /** The collector answered with an error; the message is its explanation. */
  static final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    ApiException(String message) {
      super(message);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final URI base;
  private final HttpClient http;
  private final String token;

  CollectorClient(URI base) {
    this(base, "");
  }

  /**
   * @param token sent as {@code Authorization: Bearer token}; empty for none
   */
  CollectorClient(URI base, String token) {
    this.token = token;
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  ApiAgentList agents() throws UnreachableException, ApiException, InterruptedException {
    ApiAgentList.Builder list = ApiAgentList.newBuilder();
    merge(get("/api/v1/agents"), list);
    return list.build();
  }

  /** One agent, by id; an ApiException with the collector's message if it does not know it. */
  ApiAgent agent(String id) throws UnreachableException, ApiException, InterruptedException {
    ApiAgent.Builder agent = ApiAgent.newBuilder();
    // Encoded as a path segment: "+" stays a plus, "/" does not split the path.
    String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    merge(get("/api/v1/agents/" + segment), agent);
    return agent.build();
  }

  /** The host's newest {@code last} samples, oldest first. */
  ApiHistory history(String id, int last)
      throws UnreachableException, ApiException, InterruptedException {
    ApiHistory.Builder history = ApiHistory.newBuilder();
    String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    merge(get("/api/v1/agents/" + segment + "/history?last=" + last), history);
    return history.build();
  }

  /** Where the collector keeps what it acknowledges. */
  ApiStore store() throws UnreachableException, ApiException, InterruptedException {
    ApiStore.Builder store = ApiStore.newBuilder();
    merge(get("/api/v1/store"), store);
    return store.build();
  }

  /** The agent identities the collector has pinned. */
  ApiPinList pins() throws UnreachableException, ApiException, InterruptedException {
    ApiPinList.Builder pins = ApiPinList.newBuilder();
    merge(get("/api/v1/pins"), pins);
    return pins.build();
  }

  /** {@code action} ("reset" or "revoke") on the pin of {@code id}; the pin as it was changed. */
  ApiPin changePin(String id, String action)
      throws UnreachableException, ApiException, InterruptedException {
    ApiPin.Builder pin = ApiPin.newBuilder();
    String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    merge(
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/pins/" + segment + "/" + action))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))),
        pin);
    return pin.build();
  }

  /** Pending, firing and recently resolved alerts. */
  io.vigia.collector.alert.api.ApiAlertList alerts()
      throws UnreachableException, ApiException, InterruptedException {
    var alerts = io.vigia.collector.alert.api.ApiAlertList.newBuilder();
    merge(get("/api/v1/alerts"), alerts);
    return alerts.build();
  }

  /** The collector's base URL, without a trailing slash. */
  URI base() {
    return base;
  }

  HttpClient http() {
    return http;
  }

  private String get(String path) throws UnreachableException, ApiException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private String send(HttpRequest.Builder builder)
      throws UnreachableException, ApiException, InterruptedException {
    builder.timeout(TIMEOUT).header("Accept", "application/json");
    if (!token.isEmpty()) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      // The JDK gives a ConnectException no message for a refused connection.
      String why =
          e instanceof HttpConnectTimeoutException ? "connection timed out" : "connection refused";
      throw new UnreachableException(
          "cannot reach the collector at "
              + base
              + " ("
              + why
              + "). Is vigia-collector running there? Point to it with --url or VIGIA_URL.");
    } catch (HttpTimeoutException e) {
      throw new UnreachableException(
          "the collector at " + base + " did not answer within " + TIMEOUT.toSeconds() + "s");
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot talk to the collector at " + base + ": " + describe(e));
    } catch (IllegalArgumentException e) {
      throw new UnreachableException("'" + base + "' is not a usable URL: " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      ApiError.Builder error = ApiError.newBuilder();
      try {
        PARSER.merge(response.body(), error);
      } catch (InvalidProtocolBufferException e) {
        throw new ApiException(
            "the collector at " + base + " answered HTTP " + response.statusCode());
      }
      throw new ApiException(error.getMessage());
    }
    return response.body();
  }

  private void merge(String json, com.google.protobuf.Message.Builder into) throws ApiException {
    try {
      PARSER.merge(json, into);
    } catch (InvalidProtocolBufferException e) {
      throw new ApiException(
          "the answer from " + base + " is not Vigia's API (is this a collector's HTTP port?)");
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return "the connection failed";
    }
    // A non-HTTP peer's bytes can end up in the message: keep the one stderr line readable.
    return message.replaceAll("\\p{Cntrl}+", " ").strip();
  }
}
