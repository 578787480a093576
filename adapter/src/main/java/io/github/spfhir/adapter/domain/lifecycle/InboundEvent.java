package io.github.spfhir.adapter.domain.lifecycle;

import java.time.Instant;
import java.util.Map;

/**
 * An event as it arrived from a link-worker platform, before anything is interpreted: what the store keeps, so it
 * can be looked at and replayed as sent.
 *
 * @param messageId     our id for it (random)
 * @param platformId    the platform, from the URL it was posted to (or the poller that read it)
 * @param shape         how the body is to be read
 * @param requestId     X-Request-ID when sent (for FHIR Task updates it is the event id)
 * @param correlationId X-Correlation-ID when sent
 * @param contentType   the Content-Type as sent
 * @param headers       the headers kept for audit (no Authorization)
 * @param body          the body as sent: patient data, never logged
 * @param receivedAt    when it arrived
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
        Instant receivedAt) {

    public InboundEvent {
        headers = Map.copyOf(headers);
    }

    /** The ways platforms send events. */
    public enum Shape {
        /** the platform's own JSON, read with its events mapping ({@code mappings/platforms/<id>.events.yaml}) */
        PLATFORM_JSON,
        /** a FHIR Task the platform updated (PUT Task/{id}) */
        FHIR_TASK,
        /** a BaRS servicerequest-response message (POST $process-message) */
        BARS_RESPONSE
    }
}
