package io.github.spfhir.adapter.domain.lifecycle;

import java.util.List;

import io.github.spfhir.adapter.domain.referral.PlannedDelivery;

/**
 * What one platform event came to, once stored: what the sender is told, and the deliveries to hand to their
 * queues (messages back to the GP system, data-platform publishing).
 *
 * @param event      the event as read
 * @param outcome    APPLIED, STALE or DUPLICATE
 * @param summary    one sentence for the sender and operators (ids, kinds and statuses only; no patient data)
 * @param deliveries the deliveries stored with it, to hand off now
 */
public record HandledEvent(ReferralEvent event, Outcome outcome, String summary, List<PlannedDelivery> deliveries) {

    public HandledEvent {
        deliveries = List.copyOf(deliveries);
    }

    public enum Outcome {
        /** applied to the referral's resources */
        APPLIED,
        /** older than what the Task shows: recorded, not applied */
        STALE,
        /** the same event id was received before: counted, nothing changed */
        DUPLICATE
    }
}
