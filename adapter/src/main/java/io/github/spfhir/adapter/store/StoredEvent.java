package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * A platform event as stored. {@code body} is patient data (null when read for a listing): never log it.
 *
 * @param id           our id of the stored event
 * @param platformId   the platform that sent it
 * @param eventId      the platform's id of the event (unique per platform)
 * @param referralId   our ServiceRequest id
 * @param kind         the canonical event kind
 * @param occurredAt   when it happened at the platform
 * @param receivedAt   when we received it
 * @param requestId    the request's X-Request-ID, when sent
 * @param correlationId the request's X-Correlation-ID, when sent
 * @param contentType  the body's media type
 * @param body         the event as the platform sent it
 * @param outcome      APPLIED or STALE
 * @param detail       why it was stale, or what it changed
 * @param duplicates   how many times it was received again
 */
public record StoredEvent(
        String id,
        String platformId,
        String eventId,
        String referralId,
        String kind,
        Instant occurredAt,
        Instant receivedAt,
        String requestId,
        String correlationId,
        String contentType,
        String body,
        String outcome,
        String detail,
        int duplicates) {
}
