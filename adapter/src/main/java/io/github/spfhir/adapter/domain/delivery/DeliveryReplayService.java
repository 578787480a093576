package io.github.spfhir.adapter.domain.delivery;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.github.spfhir.adapter.store.DeliveryRecord;
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
    private final DeliveryTargets targets;

    public DeliveryReplayService(MessageStore store, DeliveryTargets targets) {
        this.store = store;
        this.targets = targets;
    }

    /** Reopens one FAILED delivery; the result says whether there was one to reopen. */
    public ReplayResult reopen(String deliveryId) {
        DeliveryRecord delivery = store.findDelivery(deliveryId).orElse(null);
        if (delivery == null) {
            return new ReplayResult(deliveryId, null, null, ReplayResult.Outcome.NOT_FOUND);
        }
        if (targets.find(delivery.destinationId()).isEmpty()) {
            // nothing would read its queue: it stays FAILED until the destination is configured again
            return new ReplayResult(deliveryId, delivery.flow(), delivery.destinationId(),
                    ReplayResult.Outcome.DESTINATION_NOT_CONFIGURED);
        }
        if (!store.reopenFailed(deliveryId)) {
            return new ReplayResult(deliveryId, delivery.flow(), delivery.destinationId(), ReplayResult.Outcome.NOT_FAILED);
        }
        LOG.info("Delivery {} of referral {} to {} reopened for replay (correlation {})", deliveryId,
                delivery.referralId(), delivery.destinationId(), delivery.correlationId());
        return new ReplayResult(deliveryId, delivery.flow(), delivery.destinationId(), ReplayResult.Outcome.REOPENED);
    }

    /** The FAILED deliveries of a destination (all destinations when null), oldest first, at most {@code limit}. */
    public List<String> failedDeliveryIds(String destinationId, int limit) {
        return failedDeliveryIds(destinationId, null, null, limit);
    }

    /**
     * The FAILED deliveries to replay, oldest first, optionally of one destination and of messages accepted in a time
     * window ({@code createdFrom} inclusive, {@code createdBefore} exclusive; either may be null).
     */
    public List<String> failedDeliveryIds(String destinationId, Instant createdFrom, Instant createdBefore, int limit) {
        return store.failedDeliveryIdsOldestFirst(destinationId, createdFrom, createdBefore, limit);
    }

    /** What a replay request came to. */
    public record ReplayResult(String deliveryId, DeliveryFlow flow, String destinationId, Outcome outcome) {

        public enum Outcome { REOPENED, NOT_FAILED, NOT_FOUND, DESTINATION_NOT_CONFIGURED }

        /** The delivery ref the delivery route takes, when there is something to send. */
        public boolean reopened() {
            return outcome == Outcome.REOPENED;
        }
    }
}
