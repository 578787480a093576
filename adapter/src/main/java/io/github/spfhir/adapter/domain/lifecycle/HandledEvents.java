package io.github.spfhir.adapter.domain.lifecycle;

import java.util.List;
import java.util.stream.Collectors;

import io.github.spfhir.adapter.domain.referral.PlannedDelivery;

/**
 * What the events of one inbound event came to, once stored (all of them or none): what the sender is told, and the
 * deliveries to hand to their queues.
 *
 * @param referralId our ServiceRequest id
 * @param events     each event's outcome, in the order applied; empty when the inbound event said nothing we track
 */
public record HandledEvents(String referralId, List<HandledEvent> events) {

    public HandledEvents {
        events = List.copyOf(events);
    }

    /** Every delivery stored with the events (GP messages, data-platform updates), to hand off now. */
    public List<PlannedDelivery> deliveries() {
        return events.stream().flatMap(e -> e.deliveries().stream()).toList();
    }

    /** True when there were events and every one had been received before: nothing changed. */
    public boolean allDuplicates() {
        return !events.isEmpty() && events.stream().allMatch(e -> e.outcome() == HandledEvent.Outcome.DUPLICATE);
    }

    /** One line per event for the sender and operators (ids, kinds and statuses only; no patient data). */
    public String summary() {
        if (events.isEmpty()) {
            return "Nothing this adapter tracks changed (status, businessStatus, output): nothing applied";
        }
        return events.stream().map(HandledEvent::summary).collect(Collectors.joining("; "));
    }
}
