package dev.ordersaga.saga.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator API ({@code saga.ops.*}).
 *
 * @param stuckMargin how long past its deadline a saga may stand still before it counts as stuck
 * @param stuckScanInterval how often the stuck scan runs
 * @param verifyTimeout how long an action waits for the saga to show it took it
 * @param defaultPageSize page size of listings when none is asked for
 * @param maxPageSize the largest page a listing serves
 * @param bulkMaxSagas the most sagas one bulk action may touch
 * @param bulkMaxRate the fastest a bulk action may go, in sagas per second
 * @param parkedMaxMessages the most parked messages one look or re-drive handles
 * @param idempotencyTtl how long an action's answer is kept for a repeat with the same {@code
 *     Idempotency-Key}
 * @param idempotencyLease how long a request holding a key may run before a repeat is told that it
 *     did not finish (rather than that it is still in progress)
 */
@ConfigurationProperties("saga.ops")
public record OpsSettings(
    Duration stuckMargin,
    Duration stuckScanInterval,
    Duration verifyTimeout,
    int defaultPageSize,
    int maxPageSize,
    int bulkMaxSagas,
    int bulkMaxRate,
    int parkedMaxMessages,
    Duration idempotencyTtl,
    Duration idempotencyLease) {

  public OpsSettings {
    stuckMargin = stuckMargin == null ? Duration.ofSeconds(30) : stuckMargin;
    stuckScanInterval = stuckScanInterval == null ? Duration.ofSeconds(15) : stuckScanInterval;
    verifyTimeout = verifyTimeout == null ? Duration.ofSeconds(5) : verifyTimeout;
    maxPageSize = maxPageSize < 1 ? 200 : maxPageSize;
    defaultPageSize = defaultPageSize < 1 ? Math.min(50, maxPageSize) : defaultPageSize;
    bulkMaxSagas = bulkMaxSagas < 1 ? 500 : bulkMaxSagas;
    bulkMaxRate = bulkMaxRate < 1 ? 20 : bulkMaxRate;
    parkedMaxMessages = parkedMaxMessages < 1 ? 100 : parkedMaxMessages;
    idempotencyTtl = idempotencyTtl == null ? Duration.ofHours(24) : idempotencyTtl;
    idempotencyLease = idempotencyLease == null ? Duration.ofMinutes(15) : idempotencyLease;
  }
}
