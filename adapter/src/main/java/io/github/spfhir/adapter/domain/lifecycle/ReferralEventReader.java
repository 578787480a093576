package io.github.spfhir.adapter.domain.lifecycle;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.platformevent.PlatformEventMapper;

/**
 * Reads an inbound event into canonical {@link ReferralEvent}s, by the shape it came in: a platform's own JSON
 * through its events mapping ({@code mappings/platforms/<id>.events.yaml}), one event; a FHIR Task update, the
 * events its differences from our Task say (none, one or several); a BaRS response message, one event; a FHIR
 * Observation created, one outcome-measure event ({@link FhirPlatformEventReader}).
 */
@Component
public class ReferralEventReader {

    private final PlatformEventMapper platformEvents;
    private final FhirPlatformEventReader fhirEvents;

    public ReferralEventReader(PlatformEventMapper platformEvents, FhirPlatformEventReader fhirEvents) {
        this.platformEvents = platformEvents;
        this.fhirEvents = fhirEvents;
    }

    public ReceivedEvents read(InboundEvent inbound) {
        return switch (inbound.shape()) {
            case PLATFORM_JSON -> ReceivedEvents.of(
                    new ReceivedEvent(inbound, platformEvents.map(inbound.platformId(), inbound.body())));
            case FHIR_TASK -> fhirEvents.taskUpdate(inbound);
            case BARS_RESPONSE -> fhirEvents.barsResponse(inbound);
            case FHIR_OBSERVATION -> fhirEvents.observationCreate(inbound);
        };
    }
}
