package io.github.spfhir.adapter.domain.referral;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;

/**
 * A delivery to make, rendered once at acceptance so every attempt and replay sends the same bytes.
 *
 * @param deliveryId     deterministic: one delivery per referral and destination
 * @param flow           the flow delivering it
 * @param destinationId  the configured destination
 * @param idempotencyKey sent as X-Request-ID on every attempt, so the partner can recognise a retry
 * @param contentType    the payload's media type
 * @param payload        the rendered payload (patient data: stored, never logged)
 */
public record PlannedDelivery(
        String deliveryId,
        DeliveryFlow flow,
        String destinationId,
        String idempotencyKey,
        String contentType,
        String payload) {

    /** A referral's delivery to a link-worker platform. */
    public PlannedDelivery(String deliveryId, String destinationId, String idempotencyKey, String contentType,
            String payload) {
        this(deliveryId, DeliveryFlow.REFERRAL_TO_LINK_WORKER, destinationId, idempotencyKey, contentType, payload);
    }
}
