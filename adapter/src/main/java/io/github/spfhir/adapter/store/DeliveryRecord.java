package io.github.spfhir.adapter.store;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;

import java.time.Instant;

/** A delivery as stored. {@code payload} is patient data: never log it. */
public record DeliveryRecord(
        String id,
        String messageId,
        String referralId,
        String destinationId,
        String idempotencyKey,
        String correlationId,
        String contentType,
        String payload,
        DeliveryState state,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        String lastError,
        DeliveryFlow flow,
        String eventId) {
}
