package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * An operator's correction of a failed delivery's payload, as stored in {@code delivery_edit}: who (client id,
 * issuer, role), when, why, and the payload before and after. {@code before} and {@code after} are patient data:
 * shown to operators only, never logged.
 */
public record DeliveryEdit(
        long id,
        String deliveryId,
        Instant editedAt,
        String clientId,
        String issuer,
        String role,
        String reason,
        String contentType,
        String before,
        String after) {
}
