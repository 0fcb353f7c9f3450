package dev.ordersaga.saga.canary;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The canary release of a candidate saga version ({@code saga.canary.*}). The split set here holds
 * until an operator changes it; from then on the stored one (collection {@value Canary#COLLECTION})
 * does.
 *
 * @param candidate the version new orders may be routed to, such as {@code v2}; none by default
 * @param percent the share of new orders routed to it, 0 to 100, by order id
 * @param window how far back outcomes are compared
 * @param minSample the least sagas of each version that must have ended in the window before they
 *     are compared
 * @param margin how much worse (a fraction: 0.1 is ten points) the candidate's failure rate may be
 *     than the stable version's before routing to it stops
 * @param refreshInterval how often the stored split is read again (changes by another engine)
 */
@ConfigurationProperties("saga.canary")
public record CanarySettings(
    String candidate,
    int percent,
    Duration window,
    int minSample,
    double margin,
    Duration refreshInterval) {

  public CanarySettings {
    candidate = candidate == null || candidate.isBlank() ? null : candidate.strip();
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("saga.canary.percent must be 0 to 100, was " + percent);
    }
    window = window == null ? Duration.ofMinutes(30) : window;
    minSample = minSample < 1 ? 20 : minSample;
    margin = margin <= 0 ? 0.1 : margin;
    refreshInterval = refreshInterval == null ? Duration.ofSeconds(5) : refreshInterval;
  }
}
