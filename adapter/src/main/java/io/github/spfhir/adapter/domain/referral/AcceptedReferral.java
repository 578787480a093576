package io.github.spfhir.adapter.domain.referral;

import java.util.List;

/** A referral that passed every check, with the deliveries it needs: what the store keeps in one transaction. */
public record AcceptedReferral(MappedReferral mapped, List<PlannedDelivery> deliveries) {

    public AcceptedReferral {
        deliveries = List.copyOf(deliveries);
    }

    public InboundMessage inbound() {
        return mapped.routed().message().inbound();
    }
}
