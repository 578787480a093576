package io.github.spfhir.adapter.domain.referral;

/**
 * A delivery to make, rendered once at acceptance so every attempt and replay sends the same bytes.
 *
 * @param deliveryId     deterministic: one delivery per referral and destination
 * @param destinationId  the configured destination
 * @param idempotencyKey sent as X-Request-ID on every attempt, so the partner can recognise a retry
 * @param contentType    the payload's media type
 * @param payload        the rendered payload (patient data: stored, never logged)
 */
public record PlannedDelivery(
        String deliveryId,
        String destinationId,
        String idempotencyKey,
        String contentType,
        String payload) {
}
