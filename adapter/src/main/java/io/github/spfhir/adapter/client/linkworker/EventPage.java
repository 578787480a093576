package io.github.spfhir.adapter.client.linkworker;

import java.util.List;

/**
 * One page of a platform's events.
 *
 * @param events     each event as the platform sent it (compact JSON), in the platform's order: patient data,
 *                   never log them
 * @param nextCursor the cursor to send next time; the cursor sent when the platform gave none (nothing new), and
 *                   null only when there was no cursor either
 */
public record EventPage(List<String> events, String nextCursor) {

    public EventPage {
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }
}
