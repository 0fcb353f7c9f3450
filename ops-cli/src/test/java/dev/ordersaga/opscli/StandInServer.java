package dev.ordersaga.opscli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for saga-engine's operator API on a free loopback port, for the tests of one command:
 * it answers every request 200 with the JSON last given to {@link #answer}, keeps each request it
 * got, and runs the CLI against itself, keeping what it printed.
 */
final class StandInServer {

  /** One request: its method, raw path, body and {@code Idempotency-Key} ({@code null} if none). */
  record Received(String method, String path, String body, String idempotencyKey) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private volatile String answer = "{}";

  StandInServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  /** What every request is answered from now on. */
  void answer(String json) {
    answer = json;
  }

  /** The requests so far, oldest first. */
  List<Received> received() {
    return received;
  }

  /** What the CLI printed to standard output so far. */
  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Runs the CLI with {@code args} against this server (password {@code pw}); its exit code. */
  int run(String... args) {
    return new OpsCli(
            Map.of(
                "SAGA_OPS_URL",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "SAGA_OPS_PASSWORD",
                "pw"),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
            exchange.getRequestHeaders().getFirst("Idempotency-Key")));
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
