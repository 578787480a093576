package io.github.spfhir.adapter.domain.lifecycle;

import java.time.Instant;
import java.util.Map;

/**
 * An event as it arrived from a link-worker platform, before anything is interpreted: what the store keeps, so it
 * can be looked at and replayed as sent.
 *
 * @param messageId     our id for it (random)
 * @param platformId    the platform, from the URL it was posted to (or the poller that read it); null for the FHIR
 *                      shapes until read, because the platform is the referral's link-worker destination
 * @param shape         how the body is to be read
 * @param requestId     X-Request-ID when sent (for FHIR Task updates and Observation creates it is the event id)
 * @param correlationId X-Correlation-ID when sent
 * @param contentType   the Content-Type as sent
 * @param headers       the headers kept for audit (no Authorization)
 * @param body          the body as sent: patient data, never logged
 * @param receivedAt    when it arrived
 * @param taskId        for {@link Shape#FHIR_TASK}, the id of the Task in the URL ({@code PUT Task/{id}}); null otherwise
 */
public record InboundEvent(
        String messageId,
        String platformId,
        Shape shape,
        String requestId,
        String correlationId,
        String contentType,
        Map<String, String> headers,
        String body,
        Instant receivedAt,
        String taskId) {

    public InboundEvent {
        headers = Map.copyOf(headers);
    }

    /** An event not addressed to one resource: a platform's own JSON or a BaRS response message. */
    public InboundEvent(String messageId, String platformId, Shape shape, String requestId, String correlationId,
            String contentType, Map<String, String> headers, String body, Instant receivedAt) {
        this(messageId, platformId, shape, requestId, correlationId, contentType, headers, body, receivedAt, null);
    }

    /**
     * The same event as read for one platform, under its own message id: a FHIR Task update that says several
     * things is stored as several events, each under an id of its own.
     */
    public InboundEvent readAs(String eventMessageId, String eventPlatformId) {
        return new InboundEvent(eventMessageId, eventPlatformId, shape, requestId, correlationId, contentType, headers,
                body, receivedAt, taskId);
    }

    /** The ways platforms send events. */
    public enum Shape {
        /** the platform's own JSON, read with its events mapping ({@code mappings/platforms/<id>.events.yaml}) */
        PLATFORM_JSON,
        /** a FHIR Task the platform updated (PUT Task/{id}) */
        FHIR_TASK,
        /** a BaRS servicerequest-response message (POST $process-message) */
        BARS_RESPONSE,
        /** an outcome-measure Observation the platform created (POST Observation) */
        FHIR_OBSERVATION
    }
}
