package io.github.spfhir.adapter.domain.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.github.spfhir.adapter.client.linkworker.DeliveryException;
import io.github.spfhir.adapter.client.linkworker.DeliveryResponse;
import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.client.linkworker.PermanentDeliveryException;
import io.github.spfhir.adapter.client.linkworker.PlatformHttpClient;
import io.github.spfhir.adapter.client.linkworker.RetryableDeliveryException;
import io.github.spfhir.adapter.observability.AdapterMetrics;
import io.github.spfhir.adapter.store.AttemptOutcome;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Makes one attempt at a stored delivery to a partner (link-worker platform, GP system or data platform) and
 * records it. Retrying is not done here: a
 * {@link RetryableDeliveryException} goes back to the route, whose redelivery policy (exponential backoff with
 * jitter) calls again; when that policy gives up, {@link #giveUp} marks the delivery FAILED.
 *
 * <p>Logs carry delivery, referral and correlation ids only, never the payload.
 */
@Service
public class PartnerDeliveryService {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerDeliveryService.class);

    private final MessageStore store;
    private final PlatformHttpClient httpClient;
    private final PartnerCredentials credentials;
    private final DeliveryTargets targets;
    private final AdapterMetrics metrics;
    private final Clock clock;

    public PartnerDeliveryService(MessageStore store, PlatformHttpClient httpClient, PartnerCredentials credentials,
            DeliveryTargets targets, AdapterMetrics metrics, Clock clock) {
        this.store = store;
        this.httpClient = httpClient;
        this.credentials = credentials;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One attempt at the delivery with this id. Does nothing if it was delivered or given up on already. */
    public void attempt(String deliveryId) {
        DeliveryRecord delivery = store.findDelivery(deliveryId)
                .orElseThrow(() -> new IllegalStateException("no delivery " + deliveryId));
        if (delivery.state() != DeliveryState.PENDING) {
            LOG.info("Delivery {} is {} already; not sent again", deliveryId, delivery.state());
            return;
        }
        DeliveryTarget destination = targets.find(delivery.destinationId()).orElse(null);
        if (destination == null) {
            throw new PermanentDeliveryException(DeliveryException.NO_RESPONSE, "destination '" + delivery.destinationId()
                    + "' is no longer configured");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", delivery.idempotencyKey());
        if (delivery.correlationId() != null) {
            headers.put("X-Correlation-ID", delivery.correlationId());
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        try {
            // the partner's API key or access token (a token request that fails counts as a failed attempt)
            headers.putAll(credentials.headersFor(destination.id()));
            DeliveryResponse response = httpClient.post(destination.endpoint(), delivery.contentType(),
                    delivery.payload(), headers, destination.timeout(),
                    credentials.sslContext(destination.id()).orElse(null));
            store.recordAttempt(deliveryId, started, elapsedMs(startNanos), response.status(), AttemptOutcome.DELIVERED, null);
            metrics.messageOut(route(delivery));
            LOG.info("Delivered {} of referral {} to {} (delivery {}, correlation {}, attempt {}, HTTP {})",
                    delivery.flow().id(), delivery.referralId(), delivery.destinationId(), deliveryId, delivery.correlationId(),
                    delivery.attempts() + 1, response.status());
        } catch (RetryableDeliveryException e) {
            store.recordAttempt(deliveryId, started, elapsedMs(startNanos), httpStatus(e), AttemptOutcome.RETRYABLE_FAILURE,
                    e.getMessage());
            LOG.warn("Delivery {} of referral {} to {} failed, will retry if attempts remain (correlation {}, attempt {}): {}",
                    deliveryId, delivery.referralId(), delivery.destinationId(), delivery.correlationId(),
                    delivery.attempts() + 1, e.getMessage());
            throw e;
        } catch (PermanentDeliveryException e) {
            if (e.status() == 409) {
                // BaRS practice: 409 to a retried idempotency key means the partner already has it
                store.recordAttempt(deliveryId, started, elapsedMs(startNanos), 409, AttemptOutcome.DELIVERED,
                        "partner answered 409: it already holds this delivery");
                metrics.messageOut(route(delivery));
                LOG.info("Delivery {} of referral {} to {}: partner already holds it (HTTP 409, correlation {})",
                        deliveryId, delivery.referralId(), delivery.destinationId(), delivery.correlationId());
                return;
            }
            if (e.status() == 401) {
                credentials.invalidate(destination.id()); // a replay asks for a new token
            }
            store.recordAttempt(deliveryId, started, elapsedMs(startNanos), httpStatus(e), AttemptOutcome.PERMANENT_FAILURE,
                    e.getMessage());
            throw e;
        }
    }

    /** Called by the route when no attempt is left or the partner refused for good: the delivery is kept as FAILED. */
    public void giveUp(String deliveryId, Exception cause) {
        // our delivery exceptions' messages are written to carry no content; any other exception's may (a driver
        // message can quote values), so only its type is kept
        String reason = cause == null ? "unknown error"
                : cause instanceof DeliveryException ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : cause.getClass().getName();
        store.markFailed(deliveryId, reason);
        DeliveryRecord delivery = store.findDelivery(deliveryId).orElse(null);
        String destinationId = delivery == null ? "unknown" : delivery.destinationId();
        metrics.messageFailed(delivery == null ? "unknown." + destinationId : route(delivery));
        LOG.error("Delivery {} to {} FAILED and is kept for replay (referral {}, correlation {}): {}", deliveryId,
                destinationId, delivery == null ? "-" : delivery.referralId(),
                delivery == null ? "-" : delivery.correlationId(), reason);
    }

    private static Integer httpStatus(DeliveryException e) {
        return e.hasResponse() ? e.status() : null;
    }

    private static String route(DeliveryRecord delivery) {
        return delivery.flow().id() + "." + delivery.destinationId();
    }

    private static long elapsedMs(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
