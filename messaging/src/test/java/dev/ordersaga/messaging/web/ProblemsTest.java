package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

class ProblemsTest {

  @Test
  void aStoreThatDoesNotAnswerIsA503ToTryAgainThatShowsNoneOfTheFailure() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders");

    ResponseEntity<ProblemDetail> response =
        Problems.storeUnavailable(
            "try again shortly",
            new IllegalStateException("timed out on 127.0.0.1:27017 secret"),
            request);

    assertThat(response.getStatusCode().value()).isEqualTo(503);
    assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    assertThat(response.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    ProblemDetail problem = response.getBody();
    assertThat(problem.getType().toString()).isEqualTo(Problems.TYPE_PREFIX + "store-unavailable");
    assertThat(problem.getDetail()).isEqualTo("try again shortly");
    assertThat(problem.getInstance().toString()).isEqualTo("/orders");
    assertThat(String.valueOf(problem.getProperties())).doesNotContain("secret");
  }
}
