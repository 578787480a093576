package io.github.spfhir.adapter.inbound.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.github.spfhir.adapter.domain.access.Role;

/**
 * The per-client rate limit ({@code adapter.security.rate-limit.*}, docs/operations.md "Security"): each authenticated
 * client may make so many requests per {@code period}, by its role, unless {@code clients} names it. A client beyond
 * its limit is answered 429 with {@code Retry-After} ({@link RateLimitFilter}).
 *
 * @param enabled            whether requests are limited at all
 * @param period             the period the limits are counted over; a client may use its whole allowance at once
 *                           (a burst), then regains it evenly over the period
 * @param gpSystem           requests per period of each GP system client
 * @param linkWorkerPlatform requests per period of each link-worker platform client
 * @param dataPlatform       requests per period of each data platform client
 * @param operator           requests per period of each operator client
 * @param unassigned         requests per period of a client whose token gives no usable role (it is refused 403
 *                           anyway; the limit keeps it from hammering)
 * @param clients            per-client overrides, each {@code client-id=requests} (the token's client id claim)
 */
@ConfigurationProperties("adapter.security.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration period,
        @DefaultValue("3000") long gpSystem,
        @DefaultValue("6000") long linkWorkerPlatform,
        @DefaultValue("6000") long dataPlatform,
        @DefaultValue("600") long operator,
        @DefaultValue("60") long unassigned,
        List<String> clients) {

    public RateLimitProperties {
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalStateException("adapter.security.rate-limit.period must be a positive duration");
        }
        clients = clients == null ? List.of()
                : clients.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (long limit : new long[] {gpSystem, linkWorkerPlatform, dataPlatform, operator, unassigned}) {
            if (limit < 1) {
                throw new IllegalStateException("adapter.security.rate-limit: every role's limit must be at least 1");
            }
        }
        overrides(clients); // fails at start-up on a malformed entry
    }

    /** Requests per period of a client of this role (null: a client without a usable role). */
    public long ofRole(Role role) {
        if (role == null) {
            return unassigned;
        }
        return switch (role) {
            case GP_SYSTEM -> gpSystem;
            case LINK_WORKER_PLATFORM -> linkWorkerPlatform;
            case DATA_PLATFORM -> dataPlatform;
            case OPERATOR -> operator;
        };
    }

    /** The per-client overrides, by client id. */
    public Map<String, Long> clientLimits() {
        return overrides(clients);
    }

    private static Map<String, Long> overrides(List<String> entries) {
        Map<String, Long> limits = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.lastIndexOf('=');
            String clientId = equals < 1 ? "" : entry.substring(0, equals).trim();
            long limit;
            try {
                limit = equals < 1 ? 0 : Long.parseLong(entry.substring(equals + 1).trim());
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (clientId.isEmpty() || limit < 1) {
                throw new IllegalStateException("adapter.security.rate-limit.clients: each entry is client-id=requests"
                        + " with requests at least 1; '" + entry + "' is not");
            }
            limits.put(clientId, limit);
        }
        return Map.copyOf(limits);
    }
}
