package io.github.spfhir.adapter.inbound.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.spfhir.adapter.domain.access.Role;

/**
 * The per-client rate limit ({@link RateLimitProperties}): one Bucket4j token bucket per client identity (issuer and
 * client id), of the client's allowance per period, refilled evenly over the period. The buckets live in this
 * instance's memory: with several instances behind a load balancer, each counts the requests it is sent. There is
 * one bucket per client a trusted issuer vouched for, so their number is bounded by the partners configured.
 */
@Component
public class ClientRateLimiter {

    /**
     * What the limiter decided for one request.
     *
     * @param allowed    whether the request may go on
     * @param limit      the client's allowance per period
     * @param retryAfter when not allowed, how long until one more request would be (at least a second)
     */
    public record Decision(boolean allowed, long limit, Duration retryAfter) {
    }

    private final RateLimitProperties properties;
    private final Map<String, Long> clientLimits;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(RateLimitProperties properties) {
        this.properties = properties;
        this.clientLimits = properties.clientLimits();
    }

    public boolean isEnabled() {
        return properties.enabled();
    }

    /** The allowance per period of this client: its own override, else its role's (role null: no usable role). */
    public long limitOf(String clientId, Role role) {
        Long own = clientLimits.get(clientId);
        return own != null ? own : properties.ofRole(role);
    }

    public Duration period() {
        return properties.period();
    }

    /** Takes one request from this client's allowance, if it has one left. */
    public Decision tryAcquire(String issuer, String clientId, Role role) {
        long limit = limitOf(clientId, role);
        // the limit is part of the key: a client whose token gives another role counts against that role's allowance
        String key = issuer + '\n' + clientId + '\n' + limit;
        Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, properties.period()).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, limit, Duration.ZERO);
        }
        Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        return new Decision(false, limit, Duration.ofSeconds(seconds));
    }
}
