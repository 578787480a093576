package io.github.spfhir.adapter.domain.delivery;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Replays deliveries that were given up on: each goes back to PENDING with its stored payload and idempotency key
 * (so a partner that did receive it after all sees a retry, not a new referral) and through the same redelivery
 * policy again. Delivered and pending deliveries are not touched.
 */
@Service
public class DeliveryReplayService {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReplayService.class);

    private final MessageStore store;

    public DeliveryReplayService(MessageStore store) {
        this.store = store;
    }

    /** Reopens one FAILED delivery; the result says whether there was one to reopen. */
    public ReplayResult reopen(String deliveryId) {
        DeliveryRecord delivery = store.findDelivery(deliveryId).orElse(null);
        if (delivery == null) {
            return new ReplayResult(deliveryId, null, ReplayResult.Outcome.NOT_FOUND);
        }
        if (!store.reopenFailed(deliveryId)) {
            return new ReplayResult(deliveryId, delivery.destinationId(), ReplayResult.Outcome.NOT_FAILED);
        }
        LOG.info("Delivery {} of referral {} to {} reopened for replay (correlation {})", deliveryId,
                delivery.referralId(), delivery.destinationId(), delivery.correlationId());
        return new ReplayResult(deliveryId, delivery.destinationId(), ReplayResult.Outcome.REOPENED);
    }

    /** The FAILED deliveries of a destination (all destinations when null), oldest first, at most {@code limit}. */
    public List<String> failedDeliveryIds(String destinationId, int limit) {
        List<String> newestFirst = store.listDeliveries(DeliveryState.FAILED, destinationId, limit).stream()
                .map(DeliveryRecord::id).toList();
        List<String> oldestFirst = new java.util.ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** What a replay request came to. */
    public record ReplayResult(String deliveryId, String destinationId, Outcome outcome) {

        public enum Outcome { REOPENED, NOT_FAILED, NOT_FOUND }

        /** The delivery ref the delivery route takes, when there is something to send. */
        public boolean reopened() {
            return outcome == Outcome.REOPENED;
        }
    }
}
