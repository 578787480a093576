package io.github.spfhir.adapter.domain.referral;

import java.time.Instant;
import java.util.Map;

/**
 * A message as it arrived, before anything is interpreted: the raw body and the headers that matter. This is
 * what the store keeps, so a message can always be looked at and replayed as it was sent.
 *
 * @param messageId        our id for this message (random; not derived from content)
 * @param requestId        BaRS X-Request-ID (a UUID, the same on every retry of the message)
 * @param correlationId    BaRS X-Correlation-ID (the case's conversation id)
 * @param targetIdentifier the decoded NHSD-Target-Identifier, or null when the header was absent
 * @param format           JSON or XML
 * @param contentType      the Content-Type header as sent
 * @param headers          the headers kept for audit (no Authorization)
 * @param body             the body as sent
 * @param receivedAt       when it arrived
 */
public record InboundMessage(
        String messageId,
        String requestId,
        String correlationId,
        TargetIdentifier targetIdentifier,
        FhirFormat format,
        String contentType,
        Map<String, String> headers,
        String body,
        Instant receivedAt) {

    public InboundMessage {
        headers = Map.copyOf(headers);
    }

    /** The two FHIR encodings we accept. */
    public enum FhirFormat { JSON, XML }

    /** A routing identifier, as BaRS carries it: NHSD-Target-Identifier {@code {"system":…, "value":…}}. */
    public record TargetIdentifier(String system, String value) {

        /** The {@code system|value} token used in configuration. */
        public String token() {
            return system + "|" + value;
        }
    }
}
