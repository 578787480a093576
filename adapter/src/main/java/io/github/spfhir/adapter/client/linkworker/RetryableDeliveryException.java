package io.github.spfhir.adapter.client.linkworker;

import java.time.Duration;
import java.util.Optional;

/**
 * A delivery that may succeed later: HTTP 408, 429 or 5xx, or no response at all (network error, timeout).
 * Redeliver with the same X-Request-ID.
 */
public final class RetryableDeliveryException extends DeliveryException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetryableDeliveryException(int status, String message) {
        this(status, message, null, null, null);
    }

    public RetryableDeliveryException(int status, String message, String responseBody, Duration retryAfter,
            Throwable cause) {
        super(status, message, responseBody, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the platform asked us to wait (a {@code Retry-After} in seconds), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
