package io.github.spfhir.adapter.domain.referral;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * A referral message with the destination it goes to.
 *
 * @param message       the checked message
 * @param destinationId the configured destination's id (its key under adapter.destinations)
 * @param destination   the destination's settings
 * @param routedBy      how the destination was chosen, for audit: the target identifier token or "practice:ODS"
 */
public record RoutedReferral(
        ReferralMessage message,
        String destinationId,
        AdapterProperties.Destination destination,
        String routedBy) {
}
