package io.github.spfhir.adapter.route;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * After a restart, puts every delivery still PENDING in the store back on its queue: a crash between accepting a
 * referral and delivering it loses nothing. The partner sees the same idempotency key as before.
 */
@Component
public class PendingDeliveryRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(PendingDeliveryRecovery.class);

    private final MessageStore store;
    private final ProducerTemplate producer;
    private final DeliveryTargets targets;

    public PendingDeliveryRecovery(MessageStore store, ProducerTemplate producer, DeliveryTargets targets) {
        this.store = store;
        this.producer = producer;
        this.targets = targets;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void requeuePending() {
        int requeued = 0;
        for (DeliveryRecord delivery : store.deliveriesInState(DeliveryState.PENDING)) {
            if (targets.find(delivery.destinationId()).isEmpty()) {
                store.markFailed(delivery.id(), "destination '" + delivery.destinationId() + "' is no longer configured");
                continue;
            }
            producer.sendBody(delivery.flow().queue(delivery.destinationId()), new DeliveryRef(delivery.id()));
            requeued++;
        }
        if (requeued > 0) {
            LOG.info("Re-queued {} pending deliveries from the store", requeued);
        }
    }

    /** The body the delivery routes take: what {@code ${body.deliveryId}} reads. */
    public record DeliveryRef(String deliveryId) {
    }
}
