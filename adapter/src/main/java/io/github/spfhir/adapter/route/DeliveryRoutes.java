package io.github.spfhir.adapter.route;

import java.util.EnumSet;
import java.util.Set;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import io.github.spfhir.adapter.client.linkworker.PermanentDeliveryException;
import io.github.spfhir.adapter.client.linkworker.RetryableDeliveryException;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.delivery.DeliveryTarget;
import io.github.spfhir.adapter.domain.delivery.PartnerDeliveryService;

/**
 * The one way every flow delivers to a partner: a route per target draining that target's queue, each attempt
 * made and recorded by {@link PartnerDeliveryService}, and the one error policy declared here.
 *
 * <p>The queue depends on {@code adapter.hand-off.mode} ({@link HandOffProperties}): an in-memory SEDA queue in the
 * embedded default, a durable JMS queue on ActiveMQ Artemis in the distributed mode. Either way it carries only the
 * delivery id (the store holds the rest), and {@link DeliveryHandOff} is what puts it there.
 */
final class DeliveryRoutes {

    /** Deliveries waiting in memory per target; beyond this the sender waits (the store holds them all anyway). */
    static final int QUEUE_SIZE = 100_000;

    /**
     * The flows whose deliveries to one target go one at a time, in the order stored ({@link #declareInOrder});
     * in artemis mode their messages carry a JMSXGroupID so one consumer in the whole cluster holds the group.
     */
    static final Set<DeliveryFlow> IN_ORDER_FLOWS = EnumSet.of(DeliveryFlow.UPDATES_TO_GP,
            DeliveryFlow.DATA_PLATFORM_PUBLISHING);

    private DeliveryRoutes() {
    }

    /**
     * The endpoint a flow hands a stored delivery to (its body has {@code deliveryId}, {@code flow} and
     * {@code destinationId}); it returns at once, nobody waits for a partner, and the body is left as it was.
     */
    static String handOff() {
        return DeliveryHandOffRoutes.HAND_OFF_ENDPOINT;
    }

    /** The queue of one flow's deliveries to one target: a SEDA queue name, or a JMS queue on the broker. */
    static String queueName(DeliveryFlow flow, String targetId) {
        return flow.id() + "-delivery-" + targetId;
    }

    /** Where {@link DeliveryHandOff} sends a delivery id. */
    static String producerUri(HandOffProperties handOff, DeliveryFlow flow, String targetId) {
        return handOff.artemis()
                // not transacted: each send is confirmed by the broker on its own, outside any consumer's transaction
                ? "jms:queue:" + queueName(flow, targetId)
                        + "?connectionFactory=#handOffProducerConnectionFactory&transacted=false"
                : flow.queue(targetId) + "?size=" + QUEUE_SIZE + "&waitForTaskToComplete=Never";
    }

    /**
     * Deliveries to one target may overtake each other (each is independent, e.g. one referral each); up to the
     * target's {@link DeliveryTarget#concurrency()} are under way at once.
     */
    static void declareConcurrent(RouteBuilder builder, DeliveryTarget target) {
        declare(builder, target, target.concurrency(), true);
    }

    /**
     * Deliveries to one target go one at a time, in the order stored, and a retry holds back the ones behind it
     * (synchronous redelivery): an older update can never overwrite a newer one at the partner.
     */
    static void declareInOrder(RouteBuilder builder, DeliveryTarget target) {
        if (!IN_ORDER_FLOWS.contains(target.flow())) {
            throw new IllegalStateException(target.flow().id() + " is not declared in order in IN_ORDER_FLOWS");
        }
        declare(builder, target, 1, false);
    }

    private static void declare(RouteBuilder builder, DeliveryTarget target, int concurrentConsumers, boolean asyncRetry) {
        HandOffProperties handOff = builder.getContext().getRegistry().findSingleByType(HandOffProperties.class);
        boolean artemis = handOff != null && handOff.artemis();
        String queueName = queueName(target.flow(), target.id());
        // artemis: the consumer's JMS session is transacted (ArtemisHandOffConfiguration), so the message is
        // acknowledged only when this exchange completes, after the attempt (or the giving up) is recorded; an
        // instance killed mid-attempt has its message redelivered to another. An in-order target's messages share
        // one JMSXGroupID, so the broker gives them to one consumer at a time across all instances.
        String from = artemis
                ? "jms:queue:" + queueName + "?concurrentConsumers=" + concurrentConsumers + "&cacheLevelName=CACHE_CONSUMER"
                : target.flow().queue(target.id()) + "?concurrentConsumers=" + concurrentConsumers + "&size=" + QUEUE_SIZE;
        RouteDefinition route = builder.from(from).routeId(target.flow().deliveryRouteId(target.id()));
        // asynchronous redelivery would hand the consumer's thread back, and the JMS transaction with it, before the
        // attempts are over: in artemis mode a retry waits on its consumer, so acknowledgement stays after the outcome
        declareErrorHandling(route, target.retry(), asyncRetry && !artemis);
        route.convertBodyTo(String.class) // the delivery id, in both modes
                .bean(PartnerDeliveryService.class, "attempt");
    }

    /**
     * Retryable failures are redelivered with exponential backoff and jitter up to the target's attempts, then the
     * delivery is given up on (kept as FAILED, replayable); a permanent refusal is given up on at once.
     */
    static void declareErrorHandling(RouteDefinition route, AdapterProperties.Retry retry, boolean asyncRetry) {
        // a store that is briefly unreachable is as retryable as a partner that is: a failed query, and a transaction
        // that cannot begin or end (a rollback on a connection the database closed is a TransactionSystemException)
        var retryable = route.onException(RetryableDeliveryException.class, DataAccessException.class,
                        CannotCreateTransactionException.class, TransactionSystemException.class)
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
