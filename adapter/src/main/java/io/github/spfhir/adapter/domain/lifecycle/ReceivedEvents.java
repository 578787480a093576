package io.github.spfhir.adapter.domain.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * What one inbound event says, read: the canonical events for one referral, in the order they happened. A platform's
 * own JSON and a BaRS response say one thing; a FHIR Task update may say several (accepted and contacted at once)
 * or nothing we track. The events are applied together or not at all.
 *
 * @param referralId  our ServiceRequest id, which every event is about
 * @param events      the events, in order; may be empty
 * @param taskVersion the version of the referral's Task the events were read against (a FHIR Task update is read
 *                    as the difference from that version), checked again under the referral's lock so a change
 *                    made in between is never overwritten; null when the events do not depend on it
 */
public record ReceivedEvents(String referralId, List<ReceivedEvent> events, Integer taskVersion) {

    public ReceivedEvents {
        Objects.requireNonNull(referralId, "referralId");
        events = List.copyOf(events);
        for (ReceivedEvent received : events) {
            if (!referralId.equals(received.event().referralId())) {
                throw new IllegalArgumentException("every event must be about referral " + referralId);
            }
        }
    }

    /** One event, as a platform's own JSON and a BaRS response message give. */
    public static ReceivedEvents of(ReceivedEvent received) {
        return new ReceivedEvents(received.event().referralId(), List.of(received), null);
    }
}
