package dev.ordersaga.messaging.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * HTTP/1.1 as an attacker writes it: the exact bytes of a request (raw UTF-8 or 0x80-0x9F in a
 * header, a {@code Transfer-Encoding} no client library would send, a body in any encoding) over a
 * plain socket, and the answer as it came. Each request says {@code Connection: close}.
 */
public final class RawHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final String authorization;

  /** A client of {@code localhost:port} signed in with HTTP Basic (or none when user is null). */
  public RawHttp(int port, String user, String password) {
    this.port = port;
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** An answer: status, headers (names in lower case, the last of each), body. */
  public record Response(int status, Map<String, String> headers, byte[] body) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    /** The body as JSON, or null when it is not JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException notJson) {
        return null;
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + text();
    }
  }

  /** A request builder: method, target, extra header lines (raw bytes each), body. */
  public Request request(String method, String target) {
    return new Request(method, target);
  }

  /** A request to build and send. */
  public final class Request {
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private byte[] body;
    private boolean contentLength = true;

    private Request(String method, String target) {
      line((method + " " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1));
      header("Host", "localhost:" + port);
      header("Connection", "close");
      if (authorization != null) {
        header("Authorization", authorization);
      }
    }

    /** A header line of ASCII text. */
    public Request header(String name, String value) {
      return header(name, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A header line whose value is these exact bytes. */
    public Request header(String name, byte[] value) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes((name + ": ").getBytes(StandardCharsets.ISO_8859_1));
      line.writeBytes(value);
      return line(line.toByteArray());
    }

    private Request line(byte[] line) {
      head.writeBytes(line);
      head.writeBytes(new byte[] {'\r', '\n'});
      return this;
    }

    /** A body, sent with its {@code Content-Length} unless {@link #withoutLength} is called. */
    public Request body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    public Request body(String utf8) {
      return body(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** No {@code Content-Length} header for the body (a {@code Transfer-Encoding} says it). */
    public Request withoutLength() {
      this.contentLength = false;
      return this;
    }

    public Response send() {
      if (body != null && contentLength) {
        header("Content-Length", String.valueOf(body.length));
      }
      try (Socket socket = new Socket("localhost", port)) {
        socket.setSoTimeout(10_000);
        // the answer is read while the request is written: a server that refuses a request line or
        // a header over its limit answers and closes before taking the rest, and its answer is
        // what the test is about (writing on would fail with a broken pipe, and lose it)
        CompletableFuture<byte[]> answer =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return socket.getInputStream().readAllBytes();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        try {
          OutputStream out = socket.getOutputStream();
          out.write(head.toByteArray());
          out.write(new byte[] {'\r', '\n'});
          if (body != null) {
            out.write(body);
          }
          out.flush();
        } catch (IOException closedEarly) {
          // the server stopped reading: its answer, if any, is read below
        }
        return parse(answer.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof UncheckedIOException io ? io : e;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Response parse(byte[] raw) throws IOException {
    int end = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'});
    if (end < 0) {
      throw new IOException("no complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder size = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          size.append((char) c);
        }
      }
      int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (length == 0) {
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(length));
      in.read(); // \r
      in.read(); // \n
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
