package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * A refused message as listed for operators: who sent it, when, and the OperationOutcome they got. The body is
 * stored but not listed (patient data).
 */
public record RejectionRecord(String id, String requestId, String correlationId, Instant receivedAt, int httpStatus,
        String reason, String outcome, String channel) {
}
