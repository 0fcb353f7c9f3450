package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestBodiesTest {

  /** A request sent in chunks: no Content-Length, so only reading tells its size. */
  private static MockHttpServletRequest chunked(byte[] body) {
    MockHttpServletRequest request =
        new MockHttpServletRequest() {
          @Override
          public long getContentLengthLong() {
            return -1;
          }
        };
    request.setContent(body);
    return request;
  }

  @Test
  void readsABodyUpToTheLimit() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    assertThat(RequestBodies.read(chunked(body), body.length)).isEqualTo(body);
  }

  @Test
  void refusesALargerBodyWhetherDeclaredOrNot() {
    byte[] body = new byte[101];
    MockHttpServletRequest declared = new MockHttpServletRequest();
    declared.setContent(body);

    assertThatThrownBy(() -> RequestBodies.read(chunked(body), 100))
        .isInstanceOf(BodyTooLargeException.class);
    assertThatThrownBy(() -> RequestBodies.read(declared, 100))
        .isInstanceOf(BodyTooLargeException.class);
  }

  @Test
  void takesJsonInUtf8Only() {
    RequestBodies.requireJson("application/json");
    RequestBodies.requireJson("application/json; charset=UTF-8");

    for (String other :
        new String[] {"*/*", "application/json; charset=utf-16", "application/merge-patch+json"}) {
      assertThatThrownBy(() -> RequestBodies.requireJson(other))
          .as(other)
          .isInstanceOf(UnsupportedBodyTypeException.class);
    }
    assertThatThrownBy(() -> RequestBodies.requireJson(null))
        .isInstanceOf(UnsupportedBodyTypeException.class);
    assertThatThrownBy(() -> RequestBodies.requireJson("text/plain"))
        .isInstanceOf(UnsupportedBodyTypeException.class);
    assertThatThrownBy(() -> RequestBodies.requireJson("not a media type"))
        .isInstanceOf(UnsupportedBodyTypeException.class);
  }
}
