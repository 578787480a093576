package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.client.linkworker.PermanentDeliveryException;
import io.github.spfhir.adapter.client.linkworker.RetryableDeliveryException;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryReplayService;
import io.github.spfhir.adapter.domain.delivery.ReferralDeliveryService;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.referral.DeliveryPlanner;
import io.github.spfhir.adapter.domain.referral.DestinationResolver;
import io.github.spfhir.adapter.domain.referral.DuplicateRequestGuard;
import io.github.spfhir.adapter.domain.referral.ReferralBundleParser;
import io.github.spfhir.adapter.domain.referral.ReferralMapper;
import io.github.spfhir.adapter.domain.referral.ReferralOutputValidator;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Referral out: a GP system's BaRS referral, through checks, mapping and validation, into the store, then to
 * the link-worker platform. Wiring only; each step is a domain bean.
 *
 * <ul>
 *   <li>{@code referral-to-link-worker}: synchronous, called by the $process-message endpoint. Anything thrown
 *       goes back to the caller, which answers with an OperationOutcome. Returns the AcceptedReferral once stored.</li>
 *   <li>{@code referral-to-link-worker.delivery.<destination>}: one per destination, so a slow partner delays only
 *       its own referrals, each with that destination's redelivery policy.</li>
 * </ul>
 */
@Component
public class ReferralToLinkWorkerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "referral-to-link-worker";
    public static final String INTAKE_ENDPOINT = "direct:" + ROUTE_ID;
    public static final String REPLAY_ENDPOINT = "direct:" + ROUTE_ID + ".replay";
    private static final int QUEUE_SIZE = 100_000;

    private final AdapterProperties properties;

    public ReferralToLinkWorkerRoute(AdapterProperties properties) {
        this.properties = properties;
    }

    /** The queue of deliveries to one destination (in-memory; the store is what makes them durable). */
    public static String deliveryEndpoint(String destinationId) {
        return "seda:referral-delivery-" + destinationId + "?concurrentConsumers=4&size=" + QUEUE_SIZE;
    }

    @Override
    public void configure() {
        from(INTAKE_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // refusals go back to the sender as they are
                .bean(DuplicateRequestGuard.class, "requireNew")
                .bean(ReferralBundleParser.class, "parse")
                .bean(BarsReferralReader.class, "read")
                .bean(DestinationResolver.class, "resolve")
                .bean(ReferralMapper.class, "map")
                .bean(ReferralOutputValidator.class, "requireValid")
                .bean(DeliveryPlanner.class, "plan")
                .bean(MessageStore.class, "storeAccepted")
                // stored: now hand each delivery to its destination's queue and answer the sender
                .split(simple("${body.deliveries}"))
                    // fire and forget: the sender's answer never waits for a partner
                    .toD("seda:referral-delivery-${body.destinationId}?size=" + QUEUE_SIZE + "&waitForTaskToComplete=Never")
                .end();

        // replay of a delivery given up on: reopened in the store, then back on its destination's queue
        from(REPLAY_ENDPOINT).routeId(ROUTE_ID + ".replay")
                .errorHandler(noErrorHandler())
                .bean(DeliveryReplayService.class, "reopen")
                .filter(simple("${body.reopened}"))
                    .toD("seda:referral-delivery-${body.destinationId}?size=" + QUEUE_SIZE + "&waitForTaskToComplete=Never")
                .end();

        properties.destinations().forEach((destinationId, destination) -> {
            RouteDefinition route = from(deliveryEndpoint(destinationId))
                    .routeId(ROUTE_ID + ".delivery." + destinationId);
            declareDeliveryErrorHandling(route, destination.retry());
            route.setBody(simple("${body.deliveryId}"))
                    .bean(ReferralDeliveryService.class, "attempt");
        });
    }

    /**
     * The one error policy of every delivery route: retryable failures are redelivered with exponential backoff
     * and jitter up to the destination's attempts, then the delivery is given up on (kept as FAILED); a permanent
     * refusal is given up on at once.
     */
    private static void declareDeliveryErrorHandling(RouteDefinition route, AdapterProperties.Retry retry) {
        // a store that is briefly unreachable is as retryable as a partner that is
        route.onException(RetryableDeliveryException.class, DataAccessException.class)
                .maximumRedeliveries(Math.max(0, retry.maxAttempts() - 1))
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance() // jitter: +/-15% on each wait
                .asyncDelayedRedelivery()
                .logRetryAttempted(false)
                .logExhausted(false)
                .handled(true)
                .bean(ReferralDeliveryService.class, "giveUp(${body}, ${exception})")
                .end();
        route.onException(PermanentDeliveryException.class, RuntimeException.class)
                .maximumRedeliveries(0)
                .logExhausted(false)
                .handled(true)
                .bean(ReferralDeliveryService.class, "giveUp(${body}, ${exception})")
                .end();
    }
}
