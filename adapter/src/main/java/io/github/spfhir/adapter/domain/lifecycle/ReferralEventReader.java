package io.github.spfhir.adapter.domain.lifecycle;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.platformevent.PlatformEventMapper;

/**
 * Reads an inbound event into the canonical {@link ReferralEvent}, by the shape it came in: a platform's own JSON
 * through its events mapping ({@code mappings/platforms/<id>.events.yaml}).
 */
@Component
public class ReferralEventReader {

    private final PlatformEventMapper platformEvents;

    public ReferralEventReader(PlatformEventMapper platformEvents) {
        this.platformEvents = platformEvents;
    }

    public ReceivedEvent read(InboundEvent inbound) {
        return switch (inbound.shape()) {
            case PLATFORM_JSON -> new ReceivedEvent(inbound, platformEvents.map(inbound.platformId(), inbound.body()));
            case FHIR_TASK, BARS_RESPONSE -> throw new IllegalArgumentException(
                    "events of shape " + inbound.shape() + " are read by their own endpoint");
        };
    }
}
