package io.github.spfhir.adapter.client.linkworker;

import java.util.Objects;

import com.fasterxml.jackson.core.JsonPointer;

/**
 * How to ask a platform without webhooks for its events: the {@code polling:} section of the platform's events
 * mapping ({@code mappings/platforms/<platform>.events.yaml}, format in {@code mappings/README.md}).
 *
 * @param path            appended to the base URL the caller gives, e.g. {@code /api/events}; may carry fixed query
 *                        parameters ({@code /api/events?pageSize=50})
 * @param cursorParameter the query parameter that carries the cursor, e.g. {@code since}; left out when there is
 *                        no cursor yet (the first poll ever)
 * @param events          where the array of events is in the response (the empty pointer: the response is the array)
 * @param nextCursor      where the cursor for the next request is in the response
 */
public record EventPollSpec(String path, String cursorParameter, JsonPointer events, JsonPointer nextCursor) {

    public EventPollSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(cursorParameter, "cursorParameter");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
