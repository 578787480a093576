package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.dao.DataAccessException;

import io.github.spfhir.adapter.client.linkworker.PermanentDeliveryException;
import io.github.spfhir.adapter.client.linkworker.RetryableDeliveryException;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryTarget;
import io.github.spfhir.adapter.domain.delivery.PartnerDeliveryService;

/**
 * The one way every flow delivers to a partner: a route per target draining that target's queue, each attempt
 * made and recorded by {@link PartnerDeliveryService}, and the one error policy declared here.
 */
final class DeliveryRoutes {

    /** Deliveries waiting in memory per target; beyond this the sender waits (the store holds them all anyway). */
    static final int QUEUE_SIZE = 100_000;

    private DeliveryRoutes() {
    }

    /** The endpoint a flow hands a stored delivery to (fire and forget: nobody waits for a partner). */
    static String handOff(String flowId) {
        return "seda:" + flowId + "-delivery-${body.destinationId}?size=" + QUEUE_SIZE + "&waitForTaskToComplete=Never";
    }

    /** Deliveries to one target may overtake each other (each is independent, e.g. one referral each). */
    static void declareConcurrent(RouteBuilder builder, DeliveryTarget target, int concurrentConsumers) {
        declare(builder, target, concurrentConsumers, true);
    }

    /**
     * Deliveries to one target go one at a time, in the order stored, and a retry holds back the ones behind it
     * (synchronous redelivery): an older update can never overwrite a newer one at the partner.
     */
    static void declareInOrder(RouteBuilder builder, DeliveryTarget target) {
        declare(builder, target, 1, false);
    }

    private static void declare(RouteBuilder builder, DeliveryTarget target, int concurrentConsumers, boolean asyncRetry) {
        RouteDefinition route = builder.from(target.flow().queue(target.id()) + "?concurrentConsumers="
                        + concurrentConsumers + "&size=" + QUEUE_SIZE)
                .routeId(target.flow().deliveryRouteId(target.id()));
        declareErrorHandling(route, target.retry(), asyncRetry);
        route.setBody(builder.simple("${body.deliveryId}"))
                .bean(PartnerDeliveryService.class, "attempt");
    }

    /**
     * Retryable failures are redelivered with exponential backoff and jitter up to the target's attempts, then the
     * delivery is given up on (kept as FAILED, replayable); a permanent refusal is given up on at once.
     */
    private static void declareErrorHandling(RouteDefinition route, AdapterProperties.Retry retry, boolean asyncRetry) {
        // a store that is briefly unreachable is as retryable as a partner that is
        var retryable = route.onException(RetryableDeliveryException.class, DataAccessException.class)
                .maximumRedeliveries(Math.max(0, retry.maxAttempts() - 1))
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance(); // jitter: +/-15% on each wait
        if (asyncRetry) {
            retryable.asyncDelayedRedelivery(); // the consumer takes the next delivery while this one waits
        }
        retryable.logRetryAttempted(false)
                .logExhausted(false)
                .handled(true)
                .bean(PartnerDeliveryService.class, "giveUp(${body}, ${exception})")
                .end();
        route.onException(PermanentDeliveryException.class, RuntimeException.class)
                .maximumRedeliveries(0)
                .logExhausted(false)
                .handled(true)
                .bean(PartnerDeliveryService.class, "giveUp(${body}, ${exception})")
                .end();
    }
}
